import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { customProperties, propertyMappings, syncRuns } from "@/db/schema";
import {
  clientForConnection,
  getLiveConnection,
  markReconnectRequired,
  type IntercomConnection,
} from "@/lib/connections/intercom-connection";
import type { ClientStats, IntercomClient } from "@/lib/intercom/client";
import { IntercomError } from "@/lib/intercom/errors";
import type { IntercomContact } from "@/lib/intercom/schemas";
import { applyContactPage, applyFetchedContacts, type SyncContext, type SyncMapping } from "./apply-contact-page";
import { searchContactPages } from "./search-pages";
import { acquireSyncLease, claimFullSyncRequest, releaseSyncLease, renewSyncLease } from "./sync-state";
import { ALL_CONTACTS_QUERY, incrementalFloor, incrementalQuery, nextWatermark } from "./watermark";

export type SyncTrigger = "cron" | "manual" | "mapping";
export type SyncMode = "full" | "incremental";

export interface RunSyncOptions {
  accountId: string;
  trigger: SyncTrigger;
  /** "full" re-reads every contact; "auto" is incremental unless a backfill is due. */
  mode?: "auto" | "full";
  /** Stop cleanly (and checkpoint) once this much time has passed. */
  budgetMs?: number;
  maxPages?: number;
}

export interface SyncCounts {
  contactsRead: number;
  contactsMatched: number;
  valuesUpdated: number;
  errorCount: number;
  apiCalls: number;
  contactsWithoutEmail: number;
}

export type SyncOutcome =
  | { status: "succeeded" | "partial" | "failed"; runId: string; mode: SyncMode; counts: SyncCounts; message: string | null }
  | { status: "already_running" | "not_connected"; message: string };

// 200 pages x 150 = 30,000 contacts per run; bigger workspaces continue on the next tick.
export const MAX_PAGES_PER_RUN = 200;

/**
 * The inbound sync: Intercom contacts -> subscriber links and mapped property values. Runs are
 * exclusive per connection (DB lease), recorded in sync_runs, and idempotent; the watermark only
 * moves when a run ends cleanly.
 */
export async function runIntercomSync(opts: RunSyncOptions): Promise<SyncOutcome> {
  const db = await getDb();
  const conn = await getLiveConnection(opts.accountId);
  if (!conn) return { status: "not_connected", message: "Intercom is not connected (or needs reconnecting)." };
  const lease = await acquireSyncLease(db, conn);
  if (!lease) return { status: "already_running", message: "A sync is already running for this workspace." };

  const backfillRequested = lease.state.fullSyncRequested;
  const mode: SyncMode = opts.mode === "full" || backfillRequested || lease.state.watermark === null ? "full" : "incremental";
  let release: Parameters<typeof releaseSyncLease>[3] = {};
  try {
    // We hold the lease, so any run still marked running was cut off (function timeout, crash).
    await db
      .update(syncRuns)
      .set({ status: "failed", finishedAt: new Date(), errorMessage: "Interrupted before it finished (time limit or restart)." })
      .where(and(eq(syncRuns.connectionId, conn.id), eq(syncRuns.status, "running")));
    if (backfillRequested) await claimFullSyncRequest(db, conn.id, lease.owner);
    const [run] = await db
      .insert(syncRuns)
      .values({ accountId: conn.accountId, connectionId: conn.id, trigger: opts.trigger, mode })
      .returning({ id: syncRuns.id });
    if (!run) throw new Error("sync run insert returned nothing");

    const walk = await walkContacts(db, conn, lease.owner, {
      runId: run.id,
      mode,
      watermark: lease.state.watermark,
      deadline: opts.budgetMs === undefined ? Infinity : Date.now() + opts.budgetMs,
      maxPages: opts.maxPages ?? MAX_PAGES_PER_RUN,
    });
    if (walk.status === "failed") {
      release = backfillRequested ? { fullSyncRequested: true } : {};
    } else {
      release = { watermark: nextWatermark(lease.state.watermark, walk.maxSeen, Math.floor(Date.now() / 1000)) };
    }
    await db
      .update(syncRuns)
      .set({ ...dbCounts(walk.counts), status: walk.status, finishedAt: new Date(), errorMessage: walk.message })
      .where(eq(syncRuns.id, run.id));
    return { status: walk.status, runId: run.id, mode, counts: walk.counts, message: walk.message };
  } catch (err) {
    release = backfillRequested ? { fullSyncRequested: true } : {};
    throw err;
  } finally {
    await releaseSyncLease(db, conn.id, lease.owner, release);
  }
}

interface WalkInput {
  runId: string;
  mode: SyncMode;
  watermark: number | null;
  deadline: number;
  maxPages: number;
}

interface WalkResult {
  status: "succeeded" | "partial" | "failed";
  counts: SyncCounts;
  maxSeen: number | null;
  message: string | null;
}

async function walkContacts(db: Db, conn: IntercomConnection, owner: string, input: WalkInput): Promise<WalkResult> {
  const stats: ClientStats = { apiCalls: 0, rateLimitWaits: 0 };
  const counts: SyncCounts = { contactsRead: 0, contactsMatched: 0, valuesUpdated: 0, errorCount: 0, apiCalls: 0, contactsWithoutEmail: 0 };
  const ctx: SyncContext = { accountId: conn.accountId, runId: input.runId, mappings: await loadMappings(db, conn.accountId) };
  const client = clientForConnection(conn, { retries: 3, stats });
  const floor = input.mode === "incremental" && input.watermark !== null ? incrementalFloor(input.watermark) : -Infinity;
  const query = input.mode === "incremental" && input.watermark !== null ? incrementalQuery(input.watermark) : ALL_CONTACTS_QUERY;
  // Contacts updated while we page move to later pages and come back (traps C03): apply each
  // version once, keyed by id.
  const applied = new Map<string, number>();
  const linked = new Set<string>();
  let maxSeen: number | null = null;
  let pages = 0;
  const result = (status: WalkResult["status"], message: string | null): WalkResult => {
    counts.apiCalls = stats.apiCalls;
    counts.contactsMatched = linked.size;
    return { status, counts, maxSeen, message };
  };

  try {
    for await (const page of searchContactPages(client, query)) {
      pages++;
      counts.contactsRead += page.contacts.length;
      const fresh = page.contacts.filter((c) => c.updated_at >= floor && (applied.get(c.id) ?? -1) < c.updated_at);
      for (const c of fresh) applied.set(c.id, c.updated_at);
      const outcome = await applyContactPage(db, ctx, fresh);
      outcome.linkedSubscriberIds.forEach((id) => linked.add(id));
      counts.valuesUpdated += outcome.valuesUpdated;
      counts.errorCount += outcome.errors;
      counts.contactsWithoutEmail += outcome.withoutEmail;
      if (outcome.refetch.length > 0 && ctx.mappings.length > 0) {
        const fetched = await fetchContacts(client, outcome.refetch);
        const written = await applyFetchedContacts(db, ctx, fetched);
        counts.valuesUpdated += written.updated;
        counts.errorCount += written.errors;
        fetched.forEach((f) => linked.add(f.subscriberId));
      }
      for (const c of page.contacts) maxSeen = Math.max(maxSeen ?? c.updated_at, c.updated_at);

      if (!(await renewSyncLease(db, conn.id, owner))) {
        return result("failed", "Another sync took over this workspace after this one stalled; its results stand.");
      }
      await db.update(syncRuns).set(dbCounts({ ...counts, apiCalls: stats.apiCalls, contactsMatched: linked.size })).where(eq(syncRuns.id, input.runId));
      if (!page.hasMore) break;
      // Pages come oldest-update-first, so stopping between pages leaves a valid checkpoint:
      // everything up to maxSeen is applied, and the next run continues from there.
      if (pages >= input.maxPages) {
        console.warn(`[sync] account ${conn.accountId}: page cap (${input.maxPages}) reached; the next run continues`);
        return result("partial", `Stopped after ${input.maxPages} pages (${counts.contactsRead} contacts); the next run continues from here.`);
      }
      if (Date.now() >= input.deadline) {
        return result("partial", "Stopped to stay within the time limit; the next run continues from here.");
      }
    }
    return result("succeeded", null);
  } catch (err) {
    return result("failed", await describeFailure(conn, err));
  }
}

async function loadMappings(db: Db, accountId: string): Promise<SyncMapping[]> {
  const rows = await db
    .select({
      propertyId: propertyMappings.propertyId,
      intercomAttribute: propertyMappings.intercomAttribute,
      intercomLabel: propertyMappings.intercomLabel,
      propertyType: customProperties.type,
    })
    .from(propertyMappings)
    .innerJoin(customProperties, eq(customProperties.id, propertyMappings.propertyId))
    .where(and(eq(propertyMappings.accountId, accountId), eq(customProperties.accountId, accountId)));
  return rows;
}

/** A contact chosen from an earlier page or run: read it on its own; gone or merged ones are skipped. */
async function fetchContacts(client: IntercomClient, wanted: Array<{ subscriberId: string; contactId: string }>) {
  const out: Array<{ subscriberId: string; contact: IntercomContact }> = [];
  for (const w of wanted) {
    try {
      out.push({ subscriberId: w.subscriberId, contact: await client.getContact(w.contactId) });
    } catch (err) {
      if (err instanceof IntercomError && (err.kind === "not_found" || err.kind === "gone")) continue;
      throw err;
    }
  }
  return out;
}

async function describeFailure(conn: IntercomConnection, err: unknown): Promise<string> {
  if (err instanceof IntercomError) {
    if (err.kind === "unauthorized") {
      await markReconnectRequired(conn.id, `Intercom rejected the access token during a sync (${err.message}).`);
      return "Intercom rejected Holdfast's access token (401). Reconnect Intercom to resume syncing.";
    }
    if (err.kind === "invalid") return `Intercom rejected the search request: ${err.message}`;
    const id = err.details.requestId ? ` (request ${err.details.requestId})` : "";
    return `Intercom failed after retries: ${err.message}${id}. The next run starts again from the last checkpoint.`;
  }
  console.error(`[sync] account ${conn.accountId}: unexpected failure`, err);
  return `Unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}

function dbCounts(c: SyncCounts) {
  return {
    contactsRead: c.contactsRead,
    contactsMatched: c.contactsMatched,
    valuesUpdated: c.valuesUpdated,
    errorCount: c.errorCount,
    apiCalls: c.apiCalls,
  };
}
