import { randomBytes } from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { syncState } from "@/db/schema";

export type SyncState = typeof syncState.$inferSelect;

// A run renews its lease after every page; a run killed mid-way (function timeout, crash) frees
// the connection once this much time has passed without a renewal.
export const LEASE_SECONDS = 180;

type ConnectionRef = { id: string; accountId: string };

/** Connections made before the sync existed (or by test fixtures) get their state row lazily. */
export async function ensureSyncState(db: Db | Tx, conn: ConnectionRef) {
  await db.insert(syncState).values({ connectionId: conn.id, accountId: conn.accountId }).onConflictDoNothing();
}

/** Asks the next run to read every contact again (new mappings need a backfill). */
export async function requestFullSync(db: Db | Tx, conn: ConnectionRef) {
  await db
    .insert(syncState)
    .values({ connectionId: conn.id, accountId: conn.accountId, fullSyncRequested: true })
    .onConflictDoUpdate({ target: syncState.connectionId, set: { fullSyncRequested: true } });
}

/**
 * Takes the connection's lease with one conditional UPDATE, so of two overlapping runs (a cron
 * delivered twice, "Sync now" during a cron run) exactly one gets the row back.
 */
export async function acquireSyncLease(db: Db, conn: ConnectionRef): Promise<{ owner: string; state: SyncState } | null> {
  await ensureSyncState(db, conn);
  const owner = randomBytes(12).toString("hex");
  const [state] = await db
    .update(syncState)
    .set({ leaseOwner: owner, leaseExpiresAt: leaseDeadline() })
    .where(
      and(
        eq(syncState.connectionId, conn.id),
        or(isNull(syncState.leaseOwner), isNull(syncState.leaseExpiresAt), lt(syncState.leaseExpiresAt, sql`now()`)),
      ),
    )
    .returning();
  return state ? { owner, state } : null;
}

/** Extends the lease; false when another run took it over (ours expired), so we must stop. */
export async function renewSyncLease(db: Db, connectionId: string, owner: string): Promise<boolean> {
  const rows = await db
    .update(syncState)
    .set({ leaseExpiresAt: leaseDeadline() })
    .where(and(eq(syncState.connectionId, connectionId), eq(syncState.leaseOwner, owner)))
    .returning({ connectionId: syncState.connectionId });
  return rows.length > 0;
}

export async function releaseSyncLease(
  db: Db,
  connectionId: string,
  owner: string,
  changes: Partial<Pick<SyncState, "watermark" | "fullSyncRequested" | "checkpoint" | "lastFullSyncAt">> = {},
) {
  await db
    .update(syncState)
    .set({ ...changes, leaseOwner: null, leaseExpiresAt: null, activeRunId: null })
    .where(and(eq(syncState.connectionId, connectionId), eq(syncState.leaseOwner, owner)));
}

/** Claims a pending full-sync request; a request made while this run is going stays set. */
export async function claimFullSyncRequest(db: Db, connectionId: string, owner: string) {
  await db
    .update(syncState)
    .set({ fullSyncRequested: false })
    .where(and(eq(syncState.connectionId, connectionId), eq(syncState.leaseOwner, owner)));
}

function leaseDeadline() {
  return sql`now() + ${sql.raw(`interval '${LEASE_SECONDS} seconds'`)}`;
}
