import type { SyncRunStatus } from "@/lib/sync/sync-status";

export interface SyncNotice {
  tone: "success" | "info" | "warning" | "error";
  title: string;
  body: string;
}

const n = (v: number) => v.toLocaleString("en-US");

/**
 * What the admin who pressed a sync button is told: "started" until a run newer than the one
 * before the press has ended, then how it ended. Any newer run counts, a cron run included: when
 * the cron got there first, the button's own run stood down and the cron's did the work.
 */
export function syncNotice(started: { message: string; previousRunId: string | null }, running: boolean, run: SyncRunStatus | null): SyncNotice {
  const ended = run && run.id !== started.previousRunId && !running && run.finishedAt !== null ? run : null;
  if (!ended) return { tone: "success", title: "Sync started", body: started.message };
  const counts = `Read ${n(ended.contactsRead)} contacts, matched ${n(ended.contactsMatched)} subscribers, updated ${n(ended.valuesUpdated)} values.`;
  if (ended.status === "succeeded") {
    const errors = ended.errorCount > 0 ? ` ${n(ended.errorCount)} values did not fit their property; see Sync errors below.` : "";
    return { tone: ended.errorCount > 0 ? "warning" : "success", title: "Sync finished", body: counts + errors };
  }
  if (ended.status === "partial") return { tone: "info", title: "Sync paused", body: `${counts} ${ended.errorMessage ?? ""}`.trim() };
  return { tone: "error", title: "Sync failed", body: ended.errorMessage ?? "The sync stopped with an error." };
}
