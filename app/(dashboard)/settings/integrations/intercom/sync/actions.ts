"use server";

import { after } from "next/server";
import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { checkMappingHealth } from "@/lib/mappings/mapping-health";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { getSyncStatus } from "@/lib/sync/sync-status";

/** previousRun: the newest run before this press; the page reports the first run after it. */
export type SyncActionResult =
  | { ok: true; message: string; previousRun: { id: string; startedAt: string } | null }
  | { ok: false; error: string };

const modeSchema = z.enum(["auto", "full"]);

// A long sync stops at this budget with a checkpoint, and the scheduled runs continue from it.
const MANUAL_BUDGET_MS = 50_000;

/** Starts a sync after the response; the page follows it through the live progress bar. */
export async function startSyncAction(mode: unknown): Promise<SyncActionResult> {
  const { accountId } = await requireAdmin();
  const parsed = modeSchema.safeParse(mode);
  if (!parsed.success) return { ok: false, error: "Unknown sync mode." };
  const before = await getSyncStatus(accountId);
  if (before.running) return { ok: false, error: "A sync is already running; its progress is shown below." };
  await checkMappingHealth(accountId);
  after(() =>
    runIntercomSync({ accountId, trigger: "manual", mode: parsed.data, budgetMs: MANUAL_BUDGET_MS }).catch((err) =>
      console.error("[sync] manual sync crashed", err),
    ),
  );
  return {
    ok: true,
    previousRun: before.run ? { id: before.run.id, startedAt: before.run.startedAt } : null,
    message: parsed.data === "full" ? "Reading every contact again. Progress shows below." : "Reading what changed in Intercom. Progress shows below.",
  };
}
