"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";

export type SyncActionResult = { ok: true; message: string } | { ok: false; error: string };

const modeSchema = z.enum(["auto", "full"]);

// Long syncs stop at this budget and the scheduled runs continue from the checkpoint.
const MANUAL_BUDGET_MS = 50_000;

export async function runSyncAction(mode: unknown): Promise<SyncActionResult> {
  const { accountId } = await requireAdmin();
  const parsed = modeSchema.safeParse(mode);
  if (!parsed.success) return { ok: false, error: "Unknown sync mode." };
  const outcome = await runIntercomSync({ accountId, trigger: "manual", mode: parsed.data, budgetMs: MANUAL_BUDGET_MS });
  revalidatePath("/settings/integrations/intercom", "layout");
  if (!("counts" in outcome)) return { ok: false, error: outcome.message };
  if (outcome.status === "failed") return { ok: false, error: outcome.message ?? "The sync failed." };
  const { contactsRead, contactsMatched, valuesUpdated, errorCount } = outcome.counts;
  const summary = `Read ${contactsRead} contacts, matched ${contactsMatched} subscribers, updated ${valuesUpdated} values${errorCount ? `, ${errorCount} errors` : ""}.`;
  return { ok: true, message: outcome.status === "partial" ? `${summary} ${outcome.message ?? ""}`.trim() : summary };
}
