"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { requireAdmin } from "@/lib/auth/session";
import { checkMappingHealth, resolveStaleMappingAlerts } from "@/lib/mappings/mapping-health";
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
  // Saved rows are new rows: alerts about the replaced ones would otherwise stay open.
  await resolveStaleMappingAlerts(accountId);
  revalidatePath("/settings/properties");
  revalidatePath("/settings/integrations/intercom", "layout");
  // Start the backfill now; if this is cut short, the saved request makes the next cron run do it.
  after(() =>
    runIntercomSync({ accountId, trigger: "mapping", budgetMs: 50_000 }).catch((err) => console.error("[mappings] backfill failed", err)),
  );
  return result;
}

export async function checkPropertyMappingsAction(): Promise<{ ok: true; message: string } | { ok: false; error: string }> {
  const { accountId } = await requireAdmin();
  const result = await checkMappingHealth(accountId);
  revalidatePath("/settings/integrations/intercom", "layout");
  if (!result.ok) return { ok: false, error: result.error };
  const stillBroken = result.broken.filter((b) => b.direction === "property").length;
  return {
    ok: true,
    message: stillBroken
      ? `Checked with Intercom: ${stillBroken} property mapping${stillBroken === 1 ? " is" : "s are"} still broken.`
      : "Checked with Intercom: every property mapping works.",
  };
}
