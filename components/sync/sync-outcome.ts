import type { SyncRunStatus } from "@/lib/sync/sync-status";
import { countOf } from "@/lib/text/plural";

export interface SyncNotice {
  tone: "success" | "info" | "warning" | "error";
  title: string;
  body: string;
}

/**
 * What the admin who pressed a sync button is told: "started" until a run newer than the one
 * before the press has ended, then how it ended. Any newer run counts, a cron run included: when
 * the cron got there first, the button's own run stood down and the cron's did the work. Newer
 * means started later, not only another id: the page's last poll may predate the run before.
 */
export function syncNotice(
  started: { message: string; previousRun: { id: string; startedAt: string } | null },
  running: boolean,
  run: SyncRunStatus | null,
): SyncNotice {
  const previous = started.previousRun;
  const newer = run !== null && (previous === null || (run.id !== previous.id && Date.parse(run.startedAt) >= Date.parse(previous.startedAt)));
  const ended = newer && !running && run.finishedAt !== null ? run : null;
  if (!ended) return { tone: "success", title: "Sync started", body: started.message };
  const counts = `Read ${countOf(ended.contactsRead, "contact")}, matched ${countOf(ended.contactsMatched, "subscriber")}, updated ${countOf(ended.valuesUpdated, "value")}.`;
  if (ended.status === "succeeded") {
    const errors =
      ended.errorCount > 0
        ? ` ${countOf(ended.errorCount, "value")} did not fit ${ended.errorCount === 1 ? "its" : "their"} property; see Sync errors below.`
        : "";
    return { tone: ended.errorCount > 0 ? "warning" : "success", title: "Sync finished", body: counts + errors };
  }
  if (ended.status === "partial") return { tone: "info", title: "Sync paused", body: `${counts} ${ended.errorMessage ?? ""}`.trim() };
  return { tone: "error", title: "Sync failed", body: ended.errorMessage ?? "The sync stopped with an error." };
}
