import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { answerDeliveries, intercomConnections } from "@/db/schema";

export type Delivery = typeof answerDeliveries.$inferSelect;

/** How long a claimed delivery stays invisible to other workers while one sends it. */
export const LEASE_MS = 60_000;

/**
 * Claims due deliveries (pending or unknown, due now, account connected) in one short
 * transaction: the rows are locked with SKIP LOCKED and their nextAttemptAt pushed out by the
 * lease, so a second worker neither blocks nor sends the same write.
 */
export async function claimDueDeliveries(opts: { limit: number; accountId?: string; deliveryId?: string }): Promise<Delivery[]> {
  const db = await getDb();
  const now = new Date();
  const liveAccounts = db
    .select({ id: intercomConnections.accountId })
    .from(intercomConnections)
    .where(eq(intercomConnections.status, "connected"));
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: answerDeliveries.id })
      .from(answerDeliveries)
      .where(
        and(
          inArray(answerDeliveries.state, ["pending", "unknown"]),
          lte(answerDeliveries.nextAttemptAt, now),
          inArray(answerDeliveries.accountId, liveAccounts),
          opts.accountId ? eq(answerDeliveries.accountId, opts.accountId) : undefined,
          opts.deliveryId ? eq(answerDeliveries.id, opts.deliveryId) : undefined,
        ),
      )
      .orderBy(answerDeliveries.nextAttemptAt)
      .limit(opts.limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(answerDeliveries)
      .set({
        attempts: sql`${answerDeliveries.attempts} + 1`,
        nextAttemptAt: new Date(now.getTime() + LEASE_MS),
        updatedAt: now,
      })
      .where(inArray(answerDeliveries.id, due.map((d) => d.id)))
      .returning();
  });
}
