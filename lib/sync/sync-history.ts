import { and, desc, eq, ilike, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { customProperties, subscribers, syncErrors, syncRuns, syncState } from "@/db/schema";
import { getConnectionStatus } from "@/lib/connections/connection-overview";

export type SyncRun = typeof syncRuns.$inferSelect;

export interface SyncErrorRow {
  id: string;
  message: string;
  contactId: string | null;
  createdAt: Date;
  runId: string;
  subscriber: { id: string; email: string } | null;
  propertyName: string | null;
}

export interface SyncOverview {
  connection: Awaited<ReturnType<typeof getConnectionStatus>>;
  state: { watermark: number | null; fullSyncRequested: boolean; running: boolean; lastFullSyncAt: Date | null } | null;
  runs: SyncRun[];
  errors: SyncErrorRow[];
}

/** Everything the Sync tab shows, scoped to one account; errors optionally searched by email, message or contact id. */
export async function getSyncOverview(
  accountId: string,
  opts: { runs?: number; errors?: number; errorSearch?: string } = {},
): Promise<SyncOverview> {
  const search = opts.errorSearch?.trim().slice(0, 200);
  const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const db = await getDb();
  const [connection, stateRows, runs, errors] = await Promise.all([
    getConnectionStatus(accountId),
    db.select().from(syncState).where(eq(syncState.accountId, accountId)).limit(1),
    db
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.accountId, accountId))
      .orderBy(desc(syncRuns.startedAt))
      .limit(opts.runs ?? 25),
    db
      .select({
        id: syncErrors.id,
        message: syncErrors.message,
        contactId: syncErrors.contactId,
        createdAt: syncErrors.createdAt,
        runId: syncErrors.runId,
        subscriberId: subscribers.id,
        subscriberEmail: subscribers.email,
        propertyName: customProperties.name,
      })
      .from(syncErrors)
      .leftJoin(subscribers, and(eq(subscribers.id, syncErrors.subscriberId), eq(subscribers.accountId, accountId)))
      .leftJoin(customProperties, and(eq(customProperties.id, syncErrors.propertyId), eq(customProperties.accountId, accountId)))
      .where(
        and(
          eq(syncErrors.accountId, accountId),
          pattern ? or(ilike(subscribers.email, pattern), ilike(syncErrors.message, pattern), ilike(syncErrors.contactId, pattern)) : undefined,
        ),
      )
      .orderBy(desc(syncErrors.createdAt))
      // Each run records a still-bad value again; over-fetch, then keep the newest per problem.
      .limit((opts.errors ?? 50) * 4),
  ]);
  const state = stateRows[0];
  return {
    connection,
    state: state
      ? {
          watermark: state.watermark,
          fullSyncRequested: state.fullSyncRequested,
          running: Boolean(state.leaseOwner && state.leaseExpiresAt && state.leaseExpiresAt > new Date()),
          lastFullSyncAt: state.lastFullSyncAt,
        }
      : null,
    runs,
    errors: latestPerProblem(errors, opts.errors ?? 50).map((e) => ({
      id: e.id,
      message: e.message,
      contactId: e.contactId,
      createdAt: e.createdAt,
      runId: e.runId,
      subscriber: e.subscriberId && e.subscriberEmail ? { id: e.subscriberId, email: e.subscriberEmail } : null,
      propertyName: e.propertyName,
    })),
  };
}

function latestPerProblem<T extends { subscriberId: string | null; contactId: string | null; message: string }>(rows: T[], limit: number) {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const row of rows) {
    const key = `${row.subscriberId}|${row.contactId}|${row.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(row);
    if (out.length >= limit) break;
  }
  return out;
}
