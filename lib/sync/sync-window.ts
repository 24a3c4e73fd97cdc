import { and, asc, count, eq, gt } from "drizzle-orm";
import { subscribers } from "@/db/schema";
import { IntercomError, outOfTime } from "@/lib/intercom/errors";
import type { IntercomContact, SearchFilter } from "@/lib/intercom/schemas";
import { emailKey } from "@/lib/matching/email";
import { readContactPage, type PageRead } from "./apply-contact-page";
import { checkpointSave, type WindowCheckpoint } from "./checkpoint";
import { chooseStrategy, type SyncStrategy } from "./choose-strategy";
import { applyChunk } from "./contact-lifecycle";
import { LOOKUP_BATCH } from "./contact-lookup-batch";
import { footprintsOverlap, pageFootprint } from "./plan-contact-page";
import { afterPage, continuesAfterThisPage, saveWindow, type RunScope, type StepEnd } from "./run-scope";
import { inFilter, mappedFields, searchContactPages } from "./search-pages";
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
 *
 * A page is written in one statement together with the checkpoint naming the page after it. While
 * it is written, the next page (already requested, see searchContactPages) has its state read on
 * another connection; that read is used when the written page cannot have changed it (disjoint
 * footprints, nothing fetched on the side), and is done again otherwise.
 */
export async function walkScan(scope: RunScope, cp: WindowCheckpoint, decide: boolean): Promise<ScanEnd> {
  const { db, ctx } = scope;
  for (let restarts = 0; ; restarts++) {
    try {
      const pages = searchContactPages(scope.client, scanQuery(cp), {
        startAfter: cp.cursor ?? undefined,
        readAhead: true,
        fields: mappedFields(ctx.mappings),
      })[Symbol.asyncIterator]();
      let step = await pages.next();
      let prepared: PageRead | null = null;
      while (!step.done) {
        const page = step.value;
        if (cp.cursor === null && cp.estimatedTotal === null && page.totalCount !== undefined) {
          cp.estimatedTotal = page.totalCount;
          scope.estimatedTotal = page.totalCount;
        }
        const fresh = freshContacts(cp, page.contacts);
        const read: PageRead = prepared ?? (await readContactPage(db, ctx.accountId, fresh));
        // The strategy decision may still change the checkpoint after the first page.
        const after: WindowCheckpoint = { ...cp, cursor: page.next ?? null, read: cp.read + page.contacts.length, maxSeen: newestSeen(cp.maxSeen, page.contacts) };
        const checkpoint = decide ? undefined : checkpointSave(scope.conn.id, scope.owner, after);
        const writing = applyChunk(db, ctx, fresh, async () => scope.client, { read, checkpoint });
        // The next page was requested when this one arrived; taking it now also sends the request
        // for the one after (read-ahead). A walk about to stop takes nothing: it would only be read
        // again by the next run.
        const following = page.next && !decide && continuesAfterThisPage(scope) ? pages.next() : null;
        const followingRead = following?.then((s) => (s.done ? null : readContactPage(db, ctx.accountId, freshContacts(cp, s.value.contacts)))) ?? null;
        // Observed below, unless the walk stops first; until then it must not count as unhandled.
        followingRead?.catch(() => {});
        const applied = await writing;
        // Only now is the page applied: the safe point may move past it.
        Object.assign(cp, after);

        let switchTo: SyncStrategy | null = null;
        if (decide && page.next) {
          decide = false;
          const [row] = await db.select({ n: count() }).from(subscribers).where(eq(subscribers.accountId, ctx.accountId));
          const choice = chooseStrategy({ contacts: cp.estimatedTotal ?? 0, subscribers: row?.n ?? 0 });
          if (choice.strategy === "lookup") {
            switchTo = "lookup";
            Object.assign(cp, { strategy: "lookup", cursor: null, estimatedTotal: row?.n ?? 0 });
            scope.estimatedTotal = row?.n ?? 0;
          }
        }
        const counted = { read: page.contacts.length, withoutEmail: fresh.filter((c) => emailKey(c.email) === null).length, applied };
        const end = await afterPage(scope, cp, counted, !page.next, applied.checkpointSaved);
        if (end) return end;
        if (switchTo) return { done: false, stop: "switch", strategy: "lookup" };
        if (!page.next) return { done: true };
        step = following ? await following : await pages.next();
        prepared = await stillValid(followingRead, read, applied.refetched);
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
      // reported, not retried; the next run starts over from the safe point. Anything else (the
      // database) leaves the checkpoint saved with the last applied page: it is exact.
      if (err instanceof IntercomError) await saveWindow(scope, restartWindow(cp, scope.conn.timezone));
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
        for await (const page of searchContactPages(scope.client, query, { fields: mappedFields(scope.ctx.mappings) })) {
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

/** The next page's early read, unless the page just written may have changed what it saw. */
async function stillValid(early: Promise<PageRead | null> | null, written: PageRead, refetched: boolean): Promise<PageRead | null> {
  const next = early ? await early : null;
  if (!next || refetched) return null;
  return footprintsOverlap(pageFootprint(written.unique, written.state), pageFootprint(next.unique, next.state)) ? null : next;
}

/** Only contacts at or after the window's exact floor: those before it were applied already. */
function freshContacts(cp: WindowCheckpoint, contacts: IntercomContact[]): IntercomContact[] {
  return cp.floor === null ? contacts : contacts.filter((c) => c.updated_at >= cp.floor!);
}

function newestSeen(maxSeen: number | null, contacts: IntercomContact[]): number | null {
  let newest = maxSeen;
  for (const c of contacts) newest = Math.max(newest ?? c.updated_at, c.updated_at);
  return newest;
}

/** Applies one page of a lookup batch; the window's safe point moves only once it is applied. */
async function applyPage(scope: RunScope, cp: WindowCheckpoint, contacts: IntercomContact[]) {
  const fresh = freshContacts(cp, contacts);
  const applied = await applyChunk(scope.db, scope.ctx, fresh, async () => scope.client);
  cp.maxSeen = newestSeen(cp.maxSeen, contacts);
  return { read: contacts.length, withoutEmail: fresh.filter((c) => emailKey(c.email) === null).length, applied };
}
