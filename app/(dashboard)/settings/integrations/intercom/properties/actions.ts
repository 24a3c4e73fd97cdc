"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { requireAdmin } from "@/lib/auth/session";
import {
  listIntercomContactAttributes,
  savePropertyMappings,
  type AttributesResult,
  type SaveMappingsResult,
} from "@/lib/mappings/property-mappings";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";

export async function loadIntercomAttributesAction(): Promise<AttributesResult> {
  const { accountId } = await requireAdmin();
  return listIntercomContactAttributes(accountId);
}

export async function savePropertyMappingsAction(rows: unknown): Promise<SaveMappingsResult> {
  const { accountId } = await requireAdmin();
  const result = await savePropertyMappings(accountId, rows);
  if (!result.ok) return result;
  revalidatePath("/settings/properties");
  // Start the backfill now; if this is cut short, the saved request makes the next cron run do it.
  after(() =>
    runIntercomSync({ accountId, trigger: "mapping", budgetMs: 50_000 }).catch((err) => console.error("[mappings] backfill failed", err)),
  );
  return result;
}
