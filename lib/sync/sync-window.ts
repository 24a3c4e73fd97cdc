import { and, asc, count, eq, gt } from "drizzle-orm";
import { subscribers } from "@/db/schema";
import { IntercomError, outOfTime } from "@/lib/intercom/errors";
import type { IntercomContact, SearchFilter } from "@/lib/intercom/schemas";
import { emailKey } from "@/lib/matching/email";
import type { WindowCheckpoint } from "./checkpoint";
import { chooseStrategy, type SyncStrategy } from "./choose-strategy";
import { applyChunk } from "./contact-lifecycle";
import { LOOKUP_BATCH } from "./contact-lookup-batch";
import { afterPage, saveWindow, type RunScope, type StepEnd } from "./run-scope";
import { inFilter, searchContactPages } from "./search-pages";
import { searchBoundBefore } from "./search-bound";

// A 5xx that outlasts the client's retries restarts the window from its last safe point this
// many times per run; then the run fails and the next tick resumes from the checkpoint.
export const MAX_WINDOW_RESTARTS = 2;

export function newWindow(
  runId: string,
  mode: "full" | "incremental",
  bounds: { from: number; floor: number | null },
  strategy: SyncStrategy,
): WindowCheckpoint {
  return {
    kind: "window",
    runId,
    mode,
    strategy,
    startedAtMs: Date.now(),
    from: bounds.from,
    floor: bounds.floor,
    cursor: null,
    afterEmail: null,
    maxSeen: null,
    estimatedTotal: null,
    read: 0,
  };
}

/**
 * The last safe point of a window: pages come oldest-update-first, so everything updated before
 * the newest updated_at applied is done. Restart the search there (from the local midnight of that
 * day, as 2.16 filters by whole days in the workspace timezone) and drop the overlap locally.
 */
export function restartWindow(cp: WindowCheckpoint, timeZone: string | null): WindowCheckpoint {
  if (cp.maxSeen === null) return { ...cp, cursor: null };
  return { ...cp, cursor: null, from: Math.max(cp.from, searchBoundBefore(cp.maxSeen, timeZone)), floor: Math.max(cp.floor ?? -Infinity, cp.maxSeen) };
}

function scanQuery(cp: WindowCheckpoint): SearchFilter {
  return { field: "updated_at", operator: ">", value: cp.from };
}

export type ScanEnd = StepEnd | { done: false; stop: "switch"; strategy: "lookup" };

/**
 * Pages through the window's search, applying and checkpointing every page. With `decide`, the
 * first page's total_count picks the strategy: when looking subscribers up is much cheaper, the
 * walk hands over to the lookup (that first page is applied all the same).
 */
export async function walkScan(scope: RunScope, cp: WindowCheckpoint, decide: boolean): Promise<ScanEnd> {
  for (let restarts = 0; ; restarts++) {
    try {
      for await (const page of searchContactPages(scope.client, scanQuery(cp), { startAfter: cp.cursor ?? undefined, readAhead: true })) {
        if (cp.cursor === null && cp.estimatedTotal === null && page.totalCount !== undefined) {
          cp.estimatedTotal = page.totalCount;
          scope.estimatedTotal = page.totalCount;
        }
        const applied = await applyPage(scope, cp, page.contacts);
        cp.cursor = page.next ?? null;
        cp.read += page.contacts.length;
        let switchTo: SyncStrategy | null = null;
        if (decide && page.next) {
          decide = false;
          const [row] = await scope.db.select({ n: count() }).from(subscribers).where(eq(subscribers.accountId, scope.ctx.accountId));
          const choice = chooseStrategy({ contacts: cp.estimatedTotal ?? 0, subscribers: row?.n ?? 0 });
          if (choice.strategy === "lookup") {
            switchTo = "lookup";
            Object.assign(cp, { strategy: "lookup", cursor: null, estimatedTotal: row?.n ?? 0 });
            scope.estimatedTotal = row?.n ?? 0;
          }
        }
        const end = await afterPage(scope, cp, applied, !page.next);
        if (end) return end;
        if (switchTo) return { done: false, stop: "switch", strategy: "lookup" };
        if (!page.next) return { done: true };
      }
      return { done: true };
    } catch (err) {
      // The checkpoint names the first page not applied: the next run asks for it again.
      if (outOfTime(err)) return { done: false, stop: "time", message: `${err.message}; the next run continues from the checkpoint.` };
      // On a window's first page the client's own retries were the whole story.
      if (cp.cursor === null && restarts === 0) throw err;
      // Mid-paging, Intercom asks for the walk to start over rather than the page to be retried
      // (traps C05); a bounded number of times per run.
      if (err instanceof IntercomError && err.retryable && restarts < MAX_WINDOW_RESTARTS) {
        console.warn(`[sync] account ${scope.ctx.accountId}: ${err.message}; restarting the window from its last safe point`);
        Object.assign(cp, restartWindow(cp, scope.conn.timezone));
        if (!(await saveWindow(scope, cp))) return { done: false, stop: "lease", message: "Another sync took over this workspace." };
        continue;
      }
      // Out of restarts, or a request Intercom rejects (a bug, or a cursor it no longer takes):
      // reported, not retried; the next run starts over from the safe point.
      await saveWindow(scope, restartWindow(cp, scope.conn.timezone));
      throw err;
    }
  }
}

/**
 * Looks the account's subscribers up by email, LOOKUP_BATCH at a time in email order; each batch
 * is one search (rarely more pages) and the checkpoint records the last email done.
 */
export async function walkLookup(scope: RunScope, cp: WindowCheckpoint): Promise<StepEnd> {
  for (;;) {
    const batch = await scope.db
      .select({ emailKey: subscribers.emailKey })
      .from(subscribers)
      .where(and(eq(subscribers.accountId, scope.ctx.accountId), cp.afterEmail === null ? undefined : gt(subscribers.emailKey, cp.afterEmail)))
      .orderBy(asc(subscribers.emailKey))
      .limit(LOOKUP_BATCH);
    if (batch.length === 0) return { done: true };
    const keys = batch.map((b) => b.emailKey);
    const emails = inFilter("email", keys);
    const query: SearchFilter = cp.mode === "incremental" ? { operator: "AND", value: [emails, { field: "updated_at", operator: ">", value: cp.from }] } : emails;
    let read = 0;
    let withoutEmail = 0;
    const applied = { contacts: 0, subscribersLinked: 0, valuesUpdated: 0, errors: 0, skippedStale: 0 };
    for (let restarts = 0; ; restarts++) {
      try {
        // A batch is small: after a failure it is simply searched again from its first page.
        for await (const page of searchContactPages(scope.client, query)) {
          const r = await applyPage(scope, cp, page.contacts);
          read += r.read;
          withoutEmail += r.withoutEmail;
          applied.subscribersLinked += r.applied.subscribersLinked;
          applied.valuesUpdated += r.applied.valuesUpdated;
          applied.errors += r.applied.errors;
        }
        break;
      } catch (err) {
        if (!(err instanceof IntercomError) || !err.retryable || restarts >= MAX_WINDOW_RESTARTS) throw err;
      }
    }
    cp.afterEmail = keys[keys.length - 1]!;
    cp.read += read;
    const last = batch.length < LOOKUP_BATCH;
    const end = await afterPage(scope, cp, { read, withoutEmail, applied }, last);
    if (end) return end;
    if (last) return { done: true };
  }
}

/** Applies one page of the window: only contacts at or after the window's exact floor. */
async function applyPage(scope: RunScope, cp: WindowCheckpoint, contacts: IntercomContact[]) {
  const fresh = cp.floor === null ? contacts : contacts.filter((c) => c.updated_at >= cp.floor!);
  for (const c of contacts) cp.maxSeen = Math.max(cp.maxSeen ?? c.updated_at, c.updated_at);
  const applied = await applyChunk(scope.db, scope.ctx, fresh, async () => scope.client);
  return { read: contacts.length, withoutEmail: fresh.filter((c) => emailKey(c.email) === null).length, applied };
}
