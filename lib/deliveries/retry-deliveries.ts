import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { answerDeliveries } from "@/db/schema";
import { drainDueDeliveries } from "@/lib/forwarding/drain";
import { runAfterResponse } from "@/lib/widget/after-response";

const RETRY_ALL_DRAIN_BUDGET_MS = 50_000;

/**
 * "Retry all failed / needing attention": puts those rows of this account back in the queue, due
 * now, and starts a drain once the response is sent. Attempts are kept so the give-up limit
 * still applies; the last error stays visible until the next attempt replaces it.
 */
export async function retryAllFailedDeliveries(accountId: string): Promise<{ ok: true; requeued: number }> {
  const db = await getDb();
  const now = new Date();
  const requeued = await db
    .update(answerDeliveries)
    .set({ state: "pending", nextAttemptAt: now, attentionReason: null, updatedAt: now })
    .where(and(eq(answerDeliveries.accountId, accountId), inArray(answerDeliveries.state, ["failed", "needs_attention"])))
    .returning({ id: answerDeliveries.id });
  if (requeued.length > 0) runAfterResponse(() => drainDueDeliveries({ budgetMs: RETRY_ALL_DRAIN_BUDGET_MS, accountId }));
  return { ok: true, requeued: requeued.length };
}
