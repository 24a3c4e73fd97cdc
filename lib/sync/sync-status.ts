import { desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { syncRuns, syncState } from "@/db/schema";
import { parseCheckpoint } from "./checkpoint";

export interface SyncRunStatus {
  id: string;
  trigger: string;
  mode: string;
  strategy: string | null;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  heartbeatAt: string | null;
  contactsRead: number;
  contactsMatched: number;
  valuesUpdated: number;
  errorCount: number;
  apiCalls: number;
  rateLimitWaits: number;
  pagesRead: number;
  estimatedTotal: number | null;
  errorMessage: string | null;
}

export interface SyncStatus {
  /** A run holds the lease right now. */
  running: boolean;
  /** The newest run (the running one while running). */
  run: SyncRunStatus | null;
  /** An unfinished window or backfill that the next run continues. */
  paused: { kind: "window" | "backfill"; mode: string; strategy: string; read: number; estimatedTotal: number | null } | null;
  watermark: number | null;
  fullSyncRequested: boolean;
  lastFullSyncAt: string | null;
}

/** What the Sync tab's progress bar polls, as JSON-ready values, scoped to one account. */
export async function getSyncStatus(accountId: string): Promise<SyncStatus> {
  const db = await getDb();
  const [[state], [run]] = await Promise.all([
    db.select().from(syncState).where(eq(syncState.accountId, accountId)).limit(1),
    db.select().from(syncRuns).where(eq(syncRuns.accountId, accountId)).orderBy(desc(syncRuns.startedAt)).limit(1),
  ]);
  const running = Boolean(state?.leaseOwner && state.leaseExpiresAt && state.leaseExpiresAt > new Date());
  const checkpoint = parseCheckpoint(state?.checkpoint);
  return {
    running,
    run: run
      ? {
          id: run.id,
          trigger: run.trigger,
          mode: run.mode,
          strategy: run.strategy,
          status: run.status,
          startedAt: run.startedAt.toISOString(),
          finishedAt: run.finishedAt?.toISOString() ?? null,
          heartbeatAt: run.heartbeatAt?.toISOString() ?? null,
          contactsRead: run.contactsRead,
          contactsMatched: run.contactsMatched,
          valuesUpdated: run.valuesUpdated,
          errorCount: run.errorCount,
          apiCalls: run.apiCalls,
          rateLimitWaits: run.rateLimitWaits,
          pagesRead: run.pagesRead,
          estimatedTotal: run.estimatedTotal,
          errorMessage: run.errorMessage,
        }
      : null,
    paused:
      checkpoint && !running
        ? {
            kind: checkpoint.kind,
            mode: checkpoint.kind === "window" ? checkpoint.mode : "incremental",
            strategy: checkpoint.kind === "window" ? checkpoint.strategy : "backfill",
            read: checkpoint.read,
            estimatedTotal: checkpoint.estimatedTotal,
          }
        : null,
    watermark: state?.watermark ?? null,
    fullSyncRequested: state?.fullSyncRequested ?? false,
    lastFullSyncAt: state?.lastFullSyncAt?.toISOString() ?? null,
  };
}
