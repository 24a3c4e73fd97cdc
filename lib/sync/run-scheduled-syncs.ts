import { asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { intercomConnections, syncRuns } from "@/db/schema";
import { checkFailureRates } from "@/lib/alerts/failure-rate";
import { drainDueDeliveries } from "@/lib/forwarding/drain";
import { checkMappingHealth } from "@/lib/mappings/mapping-health";
import { processWebhookEvents } from "@/lib/webhooks/process-webhook-events";
import { runIntercomSync, type SyncOutcome } from "./run-intercom-sync";

// Kept for answer deliveries after the syncs, whatever the syncs used.
const DRAIN_RESERVE_MS = 20_000;
const PARALLEL_SYNCS = 4;

export interface ScheduledSummary {
  syncs: Array<{ accountId: string } & ({ status: "skipped"; message: string } | SyncOutcome)>;
  deliveries: { attempted: number; delivered: number; failed: number };
}

/**
 * The cron tick: an incremental (or requested full) sync for every connected workspace within
 * the time budget, then the answer-delivery outbox. One failing workspace never stops the rest.
 */
export async function runScheduledSyncs(opts: { budgetMs: number }): Promise<ScheduledSummary> {
  const deadline = Date.now() + opts.budgetMs;
  // Notifications left over when their after-response drain ran out of time (or crashed).
  await processWebhookEvents({ budgetMs: opts.budgetMs / 10 }).catch((err) => console.error("[cron] webhook events", err));
  const connections = await workspacesLongestWaitingFirst();

  // A few workspaces at a time: one slow or unreachable workspace must not starve the others.
  const queue = [...connections];
  const syncs: ScheduledSummary["syncs"] = [];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { accountId } = next;
      const budgetMs = deadline - DRAIN_RESERVE_MS - Date.now();
      if (budgetMs <= 0) {
        syncs.push({ accountId, status: "skipped", message: "Out of time in this tick; runs on the next one." });
        continue;
      }
      try {
        await checkMappingHealth(accountId);
        syncs.push({ accountId, ...(await runIntercomSync({ accountId, trigger: "cron", budgetMs })) });
      } catch (err) {
        console.error(`[cron] sync for account ${accountId} crashed`, err);
        syncs.push({ accountId, status: "skipped", message: "The sync crashed; see the server log." });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SYNCS, queue.length) }, worker));
  const deliveries = await drainDueDeliveries({ budgetMs: Math.max(DRAIN_RESERVE_MS / 2, deadline - Date.now()) });
  await checkFailureRates();
  return { syncs, deliveries };
}

/**
 * Connected workspaces, the one whose last sync started longest ago (or never) first: when a tick
 * runs out of time, the workspaces it skips go first on the next one instead of every tick
 * favouring the earliest connected.
 */
export async function workspacesLongestWaitingFirst(): Promise<Array<{ accountId: string }>> {
  const db = await getDb();
  // Answered from sync_runs_account_started: one index probe per workspace.
  const lastStarted = sql<Date | null>`(select max(${syncRuns.startedAt}) from ${syncRuns} where ${syncRuns.accountId} = ${intercomConnections.accountId})`;
  return db
    .select({ accountId: intercomConnections.accountId })
    .from(intercomConnections)
    .where(eq(intercomConnections.status, "connected"))
    .orderBy(sql`${lastStarted} asc nulls first`, asc(intercomConnections.connectedAt));
}
