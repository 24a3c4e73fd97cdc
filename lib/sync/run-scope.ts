import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { refreshPlannerStatistics } from "@/db/planner-statistics";
import { syncRuns } from "@/db/schema";
import type { IntercomConnection } from "@/lib/connections/intercom-connection";
import type { ClientStats, IntercomClient } from "@/lib/intercom/client";
import { countOf } from "@/lib/text/plural";
import type { SyncContext } from "./plan-contact-page";
import { saveCheckpoint, type Checkpoint } from "./checkpoint";
import type { ApplyContactsResult } from "./contact-lifecycle";

export interface SyncCounts {
  contactsRead: number;
  contactsMatched: number;
  valuesUpdated: number;
  errorCount: number;
  apiCalls: number;
  rateLimitWaits: number;
  pagesRead: number;
  contactsWithoutEmail: number;
}

export interface SyncProgress extends SyncCounts {
  runId: string;
  estimatedTotal: number | null;
  strategy: string;
}

/** What one invocation carries while it works: its lease, client, counters and limits. */
export interface RunScope {
  db: Db;
  conn: IntercomConnection;
  owner: string;
  runId: string;
  client: IntercomClient;
  stats: ClientStats;
  ctx: SyncContext;
  counts: SyncCounts;
  estimatedTotal: number | null;
  /** Strategies used in order, e.g. ["backfill", "scan"]. */
  strategies: string[];
  deadline: number;
  maxPages: number;
  onPage?: (progress: SyncProgress) => void | Promise<void>;
  /** When the run row last got the live counters (ms); 0 = never. */
  progressPublishedAt: number;
}

const FIRST_STATISTICS_PAGE = 8;
const STATISTICS_AT_PAGES = new Set([FIRST_STATISTICS_PAGE, 64, 512, 4096, 32768]);

// The Sync tab polls every 2 s: fresher counters on the run row would only be write load.
const PROGRESS_INTERVAL_MS = 1_000;

export type StepEnd = { done: true } | { done: false; stop: "time" | "pages" | "lease"; message: string };

export function emptyCounts(): SyncCounts {
  return { contactsRead: 0, contactsMatched: 0, valuesUpdated: 0, errorCount: 0, apiCalls: 0, rateLimitWaits: 0, pagesRead: 0, contactsWithoutEmail: 0 };
}

/**
 * After every page: count it, save the checkpoint (which extends the lease) unless the page's own
 * write saved it (`saved`), publish progress for the Sync tab at most once a second and after the
 * last page, and say whether to stop (time budget, page cap, lease lost).
 */
export async function afterPage(
  scope: RunScope,
  checkpoint: Checkpoint,
  page: { read: number; withoutEmail: number; applied: ApplyContactsResult },
  last: boolean,
  saved: boolean | null = null,
): Promise<StepEnd | null> {
  const c = scope.counts;
  c.pagesRead++;
  c.contactsRead += page.read;
  c.contactsWithoutEmail += page.withoutEmail;
  c.contactsMatched += page.applied.subscribersLinked;
  c.valuesUpdated += page.applied.valuesUpdated;
  c.errorCount += page.applied.errors;
  // A full window or a backfill can fill the candidate table from nothing: the planner has to
  // follow, or the page reads turn into scans of the whole account. Geometric, so it costs
  // O(log pages); incremental windows change too little to be worth it. Subscribers only once: a
  // sync changes their links, not their number, but whatever added them may not have refreshed
  // their statistics.
  const bulk = checkpoint.kind === "backfill" || checkpoint.mode === "full";
  if (bulk && STATISTICS_AT_PAGES.has(c.pagesRead)) {
    await refreshPlannerStatistics(scope.db, c.pagesRead === FIRST_STATISTICS_PAGE ? ["subscribers", "intercom_contacts"] : ["intercom_contacts"]);
  }
  if (saved === false || (saved === null && !(await saveCheckpoint(scope.db, scope.conn.id, scope.owner, checkpoint)))) {
    return { done: false, stop: "lease", message: "Another sync took over this workspace after this one stalled; its results stand." };
  }
  if (last || Date.now() - scope.progressPublishedAt >= PROGRESS_INTERVAL_MS) await publishProgress(scope);
  await scope.onPage?.({ ...c, runId: scope.runId, estimatedTotal: scope.estimatedTotal, strategy: scope.strategies.join("+") });
  if (last) return null;
  if (c.pagesRead >= scope.maxPages) {
    return { done: false, stop: "pages", message: `Stopped after ${countOf(c.pagesRead, "page")} (${countOf(c.contactsRead, "contact")}); the next run continues from the checkpoint.` };
  }
  if (Date.now() >= scope.deadline) {
    return { done: false, stop: "time", message: "Stopped to stay within the time limit; the next run continues from the checkpoint." };
  }
  return null;
}

/** Whether afterPage will let the walk go on after the page being applied now (its lease aside). */
export function continuesAfterThisPage(scope: RunScope): boolean {
  return scope.counts.pagesRead + 1 < scope.maxPages && Date.now() < scope.deadline;
}

/** Live counters and heartbeat on the run row, read by the progress bar every 2 s. */
export async function publishProgress(scope: RunScope) {
  const c = scope.counts;
  c.apiCalls = scope.stats.apiCalls;
  c.rateLimitWaits = scope.stats.rateLimitWaits;
  scope.progressPublishedAt = Date.now();
  await scope.db
    .update(syncRuns)
    .set({
      contactsRead: c.contactsRead,
      contactsMatched: c.contactsMatched,
      valuesUpdated: c.valuesUpdated,
      errorCount: c.errorCount,
      apiCalls: c.apiCalls,
      rateLimitWaits: c.rateLimitWaits,
      pagesRead: c.pagesRead,
      estimatedTotal: scope.estimatedTotal,
      strategy: scope.strategies.join("+") || null,
      heartbeatAt: sql`now()`,
    })
    .where(eq(syncRuns.id, scope.runId));
}

export function saveWindow(scope: RunScope, checkpoint: Checkpoint): Promise<boolean> {
  return saveCheckpoint(scope.db, scope.conn.id, scope.owner, checkpoint);
}
