import { and, count, desc, eq, gt } from "drizzle-orm";
import { getDb } from "@/db/client";
import { databaseErrorMessage } from "@/db/postgres-errors";
import { intercomContacts, subscribers, syncRuns } from "@/db/schema";
import { clientForConnection, getLiveConnection, type IntercomConnection } from "@/lib/connections/intercom-connection";
import { markReconnectRequired } from "@/lib/connections/intercom-connection";
import { env } from "@/lib/env";
import type { ClientStats } from "@/lib/intercom/client";
import { IntercomError, outOfTime } from "@/lib/intercom/errors";
import { countOf } from "@/lib/text/plural";
import { storableText } from "@/lib/text/storable";
import { countLinkedSubscribers, markBackfilled, walkBackfill } from "./backfill-mappings";
import { parseCheckpoint, type BackfillCheckpoint, type Checkpoint, type WindowCheckpoint } from "./checkpoint";
import { lookUpEmails, verifyUnseenCandidates } from "./contact-lifecycle";
import { LOOKUP_BATCH } from "./contact-lookup-batch";
import type { SyncContext } from "./plan-contact-page";
import { emptyCounts, publishProgress, saveWindow, type RunScope, type StepEnd, type SyncCounts, type SyncProgress } from "./run-scope";
import { PER_PAGE } from "./search-pages";
import { loadSyncMappings, type LoadedMapping } from "./sync-mappings";
import { acquireSyncLease, claimFullSyncRequest, releaseSyncLease, requestFullSync } from "./sync-state";
import { newWindow, walkLookup, walkScan } from "./sync-window";
import { incrementalFloor, incrementalQuery, nextWatermark, SAFETY_LAG_SECONDS } from "./watermark";

export type { SyncCounts, SyncProgress } from "./run-scope";
export type SyncTrigger = "cron" | "manual" | "mapping";
export type SyncMode = "full" | "incremental";

export interface RunSyncOptions {
  accountId: string;
  trigger: SyncTrigger;
  /** "full" re-reads every contact; "auto" continues a checkpoint, else is incremental unless a full read is due. */
  mode?: "auto" | "full";
  /** "auto" picks the cheaper of scanning and looking subscribers up (see docs/sync.md). */
  strategy?: "auto" | "scan" | "lookup";
  /** Stop cleanly (checkpointed) once this much time has passed; default SYNC_TIME_BUDGET_MS. */
  budgetMs?: number;
  /** Stop cleanly after this many pages (tests, benchmarks). */
  maxPages?: number;
  /** Called after every checkpointed page: progress for benchmarks and tests. */
  onPage?: (progress: SyncProgress) => void | Promise<void>;
}

export type SyncOutcome =
  | {
      status: "succeeded" | "partial" | "failed";
      runId: string;
      mode: SyncMode;
      strategy: string;
      counts: SyncCounts;
      estimatedTotal: number | null;
      message: string | null;
    }
  | { status: "already_running" | "not_connected"; message: string };

// Stored candidates a full read did not return, read one by one per run (the rest next run).
export const VERIFY_PER_RUN = 100;
// A full window at least this often reconciles what incremental windows cannot see: contacts
// that vanished, and anything a webhook or an unindexed contact left behind.
export const FULL_RECONCILE_MS = 24 * 3600_000;
// Subscribers added since the last run are looked up by email in an incremental run; more than
// this and a full window is cheaper to reason about (the strategy choice still applies).
export const NEWCOMER_LOOKUP_MAX = 1_000;

type ReleaseChanges = Parameters<typeof releaseSyncLease>[3];

/**
 * The inbound sync: Intercom contacts -> subscriber links and mapped property values. Runs are
 * exclusive per connection (DB lease), recorded in sync_runs, checkpointed after every page, and
 * idempotent; the watermark moves only when a window is complete.
 */
export async function runIntercomSync(opts: RunSyncOptions): Promise<SyncOutcome> {
  const db = await getDb();
  const conn = await getLiveConnection(opts.accountId);
  if (!conn) return { status: "not_connected", message: "Intercom is not connected (or needs reconnecting)." };
  const lease = await acquireSyncLease(db, conn);
  if (!lease) return { status: "already_running", message: "A sync is already running for this workspace." };

  const { state, owner } = lease;
  let release: ReleaseChanges = {};
  try {
    // We hold the lease, so any run still marked running was cut off (function timeout, crash).
    await db
      .update(syncRuns)
      .set({ status: "failed", finishedAt: new Date(), errorMessage: "Interrupted before it finished (time limit or restart); the next run continued from its checkpoint." })
      .where(and(eq(syncRuns.connectionId, conn.id), eq(syncRuns.status, "running")));

    const reconcileDue = !state.lastFullSyncAt || Date.now() - state.lastFullSyncAt.getTime() > FULL_RECONCILE_MS;
    const wantFull = opts.mode === "full" || state.fullSyncRequested || state.watermark === null || reconcileDue;
    const saved = parseCheckpoint(state.checkpoint);
    // A full read asked for supersedes an unfinished incremental window or backfill.
    const resume = saved && (!wantFull || (saved.kind === "window" && saved.mode === "full")) ? saved : null;
    const mode: SyncMode = resume ? (resume.kind === "window" ? resume.mode : "incremental") : wantFull ? "full" : "incremental";
    if (state.fullSyncRequested) await claimFullSyncRequest(db, conn.id, owner);
    const [previous] = await db
      .select({ startedAt: syncRuns.startedAt })
      .from(syncRuns)
      .where(and(eq(syncRuns.connectionId, conn.id), eq(syncRuns.status, "succeeded")))
      .orderBy(desc(syncRuns.startedAt))
      .limit(1);
    const [run] = await db
      .insert(syncRuns)
      .values({ accountId: conn.accountId, connectionId: conn.id, trigger: opts.trigger, mode, heartbeatAt: new Date() })
      .returning({ id: syncRuns.id });
    if (!run) throw new Error("sync run insert returned nothing");

    const stats: ClientStats = { apiCalls: 0, rateLimitWaits: 0 };
    const mappings = await loadSyncMappings(db, conn.accountId);
    const deadline = Date.now() + (opts.budgetMs ?? env().SYNC_TIME_BUDGET_MS);
    const scope: RunScope = {
      db,
      conn,
      owner,
      runId: run.id,
      client: clientForConnection(conn, { retries: 3, stats, deadline }),
      stats,
      ctx: { accountId: conn.accountId, runId: run.id, mappings } satisfies SyncContext,
      counts: emptyCounts(),
      estimatedTotal: null,
      strategies: [],
      deadline,
      maxPages: opts.maxPages ?? Infinity,
      onPage: opts.onPage,
      progressPublishedAt: 0,
    };

    let result: { status: "succeeded" | "partial" | "failed"; mode: SyncMode; message: string | null };
    try {
      const done = await runPhases(scope, {
        opts,
        mode,
        resume,
        mappings,
        watermark: state.watermark,
        lastFullSyncAt: state.lastFullSyncAt,
        previousRunAt: previous?.startedAt ?? null,
      });
      release = done.release;
      result = {
        status: done.end.done ? "succeeded" : done.end.stop === "lease" ? "failed" : "partial",
        mode: done.mode,
        message: done.end.done ? (done.warning ?? null) : done.end.message,
      };
    } catch (err) {
      release = state.fullSyncRequested ? { fullSyncRequested: true } : {};
      result = outOfTime(err)
        ? { status: "partial", mode, message: `${err.message}; the next run continues from the checkpoint.` }
        : { status: "failed", mode, message: await describeFailure(conn, err) };
    }
    await publishProgress(scope);
    await db
      .update(syncRuns)
      .set({ status: result.status, mode: result.mode, finishedAt: new Date(), errorMessage: result.message })
      .where(eq(syncRuns.id, run.id));
    return {
      status: result.status,
      runId: run.id,
      mode: result.mode,
      strategy: scope.strategies.join("+"),
      counts: scope.counts,
      estimatedTotal: scope.estimatedTotal,
      message: result.message,
    };
  } finally {
    await releaseSyncLease(db, conn.id, owner, release);
  }
}

interface PhaseInput {
  opts: RunSyncOptions;
  mode: SyncMode;
  resume: Checkpoint | null;
  mappings: LoadedMapping[];
  watermark: number | null;
  lastFullSyncAt: Date | null;
  /** Start of the last run that succeeded: subscribers added since have not been looked up. */
  previousRunAt: Date | null;
}

/**
 * What one invocation does: continue a checkpointed backfill or window, or start one (backfill
 * newly mapped attributes, then the incremental window; or a full window), then verify stored
 * contacts the last full read did not return.
 */
async function runPhases(
  scope: RunScope,
  input: PhaseInput,
): Promise<{ end: StepEnd; mode: SyncMode; release: ReleaseChanges; warning?: string }> {
  const { opts } = input;
  let mode = input.mode;
  let window: WindowCheckpoint | null = input.resume?.kind === "window" ? input.resume : null;

  if (!window) {
    let backfill: BackfillCheckpoint | null = input.resume?.kind === "backfill" ? input.resume : null;
    const pending = input.mappings.filter((m) => !m.backfilledAt);
    if (!backfill && mode === "incremental" && pending.length > 0) {
      // A new mapping needs values for every matched subscriber: read their contacts by id when
      // that is cheaper than reading the whole workspace again.
      const byId = Math.ceil((await countLinkedSubscribers(scope.db, scope.ctx.accountId)) / LOOKUP_BATCH);
      const probe = await scope.client.searchContacts({ query: { field: "updated_at", operator: ">", value: 0 }, pagination: { per_page: 1 } });
      if (byId <= Math.ceil((probe.total_count ?? Infinity) / PER_PAGE)) {
        backfill = { kind: "backfill", runId: scope.runId, startedAtMs: Date.now(), mappingIds: pending.map((m) => m.mappingId), afterSubscriberId: null, estimatedTotal: null, read: 0 };
      } else {
        mode = "full";
      }
    }
    if (backfill) {
      scope.strategies.push("backfill");
      backfill.runId = scope.runId;
      scope.estimatedTotal = await countLinkedSubscribers(scope.db, scope.ctx.accountId);
      if (!(await saveWindow(scope, backfill))) return { end: leaseLost(), mode, release: {} };
      const end = await walkBackfill(scope, backfill);
      if (!end.done) return { end, mode, release: {} };
      await markBackfilled(scope.db, scope.ctx.accountId, backfill.mappingIds);
    }
    const forced = opts.strategy === "lookup" ? "lookup" : "scan";
    window =
      mode === "full" || input.watermark === null
        ? newWindow(scope.runId, "full", { from: 0, floor: null }, forced)
        : newWindow(scope.runId, "incremental", { from: incrementalQuery(input.watermark, scope.conn.timezone).value as number, floor: incrementalFloor(input.watermark) }, forced);
    mode = window.mode;
    if (!(await saveWindow(scope, window))) return { end: leaseLost(), mode, release: {} };
  } else {
    window.runId = scope.runId;
    // Progress of a continued window: what is left of it.
    scope.estimatedTotal = window.estimatedTotal === null ? null : Math.max(0, window.estimatedTotal - window.read);
  }

  const end = await walkWindow(scope, window, !input.resume && (opts.strategy ?? "auto") === "auto");
  if (!end.done) return { end, mode, release: {} };

  // The window is complete: the watermark may move, and a full read dates what it did not see.
  const release: ReleaseChanges = { checkpoint: null };
  let warning: string | undefined;
  // A lookup asked about every subscriber's contacts as of the window's start, whatever it returned.
  const seen = window.strategy === "lookup" ? Math.floor(window.startedAtMs / 1000) - SAFETY_LAG_SECONDS : window.maxSeen;
  release.watermark = nextWatermark(input.watermark, seen, nowSeconds());
  let lastFullSyncAt = input.lastFullSyncAt;
  if (window.mode === "full") {
    // Per-page counts can count a subscriber twice (its email on two pages, a contact that moved
    // while paging); after a whole read the exact number is one count away.
    scope.counts.contactsMatched = await countLinkedSubscribers(scope.db, scope.ctx.accountId);
    lastFullSyncAt = new Date(window.startedAtMs);
    release.lastFullSyncAt = lastFullSyncAt;
    const covered = input.mappings.filter((m) => !m.backfilledAt && m.createdAt.getTime() <= window.startedAtMs);
    await markBackfilled(scope.db, scope.ctx.accountId, covered.map((m) => m.mappingId));
    warning = await emptyReadWarning(scope, window);
  }
  if (window.mode === "incremental" && input.previousRunAt && Date.now() < scope.deadline) {
    await lookUpNewcomers(scope, input.previousRunAt);
  }
  if (lastFullSyncAt && Date.now() < scope.deadline) {
    await verifyUnseenCandidates(scope.db, scope.ctx, scope.client, lastFullSyncAt, VERIFY_PER_RUN);
  }
  return { end, mode, release, warning };
}

/**
 * A full read that returned nothing, from a workspace whose contacts matched subscribers before,
 * is more likely a fault (lost access, a broken walk: traps C26) than an emptied workspace: say so
 * on the run instead of reporting a quiet success.
 */
async function emptyReadWarning(scope: RunScope, window: WindowCheckpoint): Promise<string | undefined> {
  if (window.read > 0) return undefined;
  const [row] = await scope.db.select({ n: count() }).from(intercomContacts).where(eq(intercomContacts.accountId, scope.ctx.accountId));
  const stored = row?.n ?? 0;
  if (stored === 0) return undefined;
  const warning = `Intercom returned no contacts, though ${countOf(stored, "contact")} matched subscribers before: check that Holdfast still has access to this workspace's contacts.`;
  console.warn(`[sync] account ${scope.ctx.accountId}: ${warning}`);
  return warning;
}

async function walkWindow(scope: RunScope, window: WindowCheckpoint, decide: boolean): Promise<StepEnd> {
  if (window.strategy === "scan") {
    scope.strategies.push("scan");
    const end = await walkScan(scope, window, decide);
    if (end.done || end.stop !== "switch") return end;
    scope.strategies.push("lookup");
    return walkLookup(scope, window);
  }
  scope.strategies.push("lookup");
  if (window.estimatedTotal === null) {
    const [row] = await scope.db.select({ n: count() }).from(subscribers).where(eq(subscribers.accountId, scope.ctx.accountId));
    window.estimatedTotal = row?.n ?? 0;
    scope.estimatedTotal = window.estimatedTotal;
  }
  return walkLookup(scope, window);
}

/**
 * Subscribers imported since the last run whose contact has not changed lately: an incremental
 * window would not see them until the next full one, so their emails are looked up now.
 */
async function lookUpNewcomers(scope: RunScope, since: Date) {
  // Rows of an import still in flight when that run started carry an earlier created_at.
  const after = new Date(since.getTime() - NEWCOMER_MARGIN_MS);
  const newcomers = await scope.db
    .select({ emailKey: subscribers.emailKey })
    .from(subscribers)
    .where(and(eq(subscribers.accountId, scope.ctx.accountId), eq(subscribers.intercomMatch, "none"), gt(subscribers.createdAt, after)))
    .limit(NEWCOMER_LOOKUP_MAX + 1);
  if (newcomers.length === 0) return;
  if (newcomers.length > NEWCOMER_LOOKUP_MAX) {
    await requestFullSync(scope.db, scope.conn);
    return;
  }
  scope.strategies.push("newcomers");
  await lookUpEmails(scope.db, scope.ctx, scope.client, newcomers.map((n) => n.emailKey), async () => scope.client);
  await publishProgress(scope);
}

const NEWCOMER_MARGIN_MS = 10 * 60_000;

function leaseLost(): StepEnd {
  return { done: false, stop: "lease", message: "Another sync took over this workspace after this one stalled; its results stand." };
}

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

async function describeFailure(conn: IntercomConnection, err: unknown): Promise<string> {
  if (err instanceof IntercomError) {
    if (err.kind === "unauthorized") {
      // Pauses the connection and raises the admin alert (resolved on reconnect).
      await markReconnectRequired(conn, `Intercom rejected Holdfast's access token during a sync (${err.code ?? "401"})`);
      return "Intercom rejected Holdfast's access token (401). Reconnect Intercom to resume syncing.";
    }
    if (err.kind === "invalid") return `Intercom rejected the search request: ${err.message}`;
    const id = err.details.requestId ? ` (request ${err.details.requestId})` : "";
    return `Intercom failed after retries: ${err.message}${id}. The next run starts again from the last checkpoint.`;
  }
  console.error(`[sync] account ${conn.accountId}: unexpected failure`, err);
  const database = databaseErrorMessage(err);
  if (database) return storableText(`A database statement failed: ${database}. The next run continues from the last checkpoint.`).slice(0, 500);
  // Other errors may quote whole queries and parameters: keep the run record short and storable.
  return storableText(`Unexpected error: ${err instanceof Error ? err.message : String(err)}`).slice(0, 500);
}
