import { and, eq, inArray, lte, notInArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { answerDeliveries, intercomConnections } from "@/db/schema";
import type { Delivery } from "./plan-contact-write";

export type { Delivery } from "./plan-contact-write";

/** How long a claimed delivery stays invisible to other workers while one sends it. */
export const LEASE_MS = 60_000;
/** Most answers one subscriber's PUT carries; more wait for the next claim. */
const MAX_PER_CONTACT = 50;

/**
 * Claims due deliveries (pending or unknown, due now, account connected) in one short
 * transaction, together with every other due delivery of the same subscribers so they share one
 * PUT. Rows are locked with SKIP LOCKED and their nextAttemptAt pushed out by the lease, so a
 * second worker neither blocks nor sends the same write; a worker that dies simply lets the
 * lease run out.
 */
export async function claimDueDeliveries(opts: { limit: number; accountId?: string; deliveryId?: string }): Promise<Delivery[]> {
  const db = await getDb();
  const now = new Date();
  return db.transaction(async (tx) => {
    const liveAccounts = tx
      .select({ id: intercomConnections.accountId })
      .from(intercomConnections)
      .where(eq(intercomConnections.status, "connected"));
    const due = and(
      inArray(answerDeliveries.state, ["pending", "unknown"]),
      lte(answerDeliveries.nextAttemptAt, now),
      inArray(answerDeliveries.accountId, liveAccounts),
      opts.accountId ? eq(answerDeliveries.accountId, opts.accountId) : undefined,
    );
    const first = await tx
      .select({ id: answerDeliveries.id, subscriberId: answerDeliveries.subscriberId })
      .from(answerDeliveries)
      .where(and(due, opts.deliveryId ? eq(answerDeliveries.id, opts.deliveryId) : undefined))
      .orderBy(answerDeliveries.nextAttemptAt)
      .limit(opts.limit)
      .for("update", { skipLocked: true });
    if (first.length === 0) return [];
    const firstIds = first.map((d) => d.id);
    const rest = await tx
      .select({ id: answerDeliveries.id })
      .from(answerDeliveries)
      .where(
        and(
          due,
          inArray(answerDeliveries.subscriberId, [...new Set(first.map((d) => d.subscriberId))]),
          notInArray(answerDeliveries.id, firstIds),
        ),
      )
      .orderBy(answerDeliveries.nextAttemptAt)
      .limit(MAX_PER_CONTACT * first.length)
      .for("update", { skipLocked: true });
    return tx
      .update(answerDeliveries)
      .set({
        attempts: sql`${answerDeliveries.attempts} + 1`,
        nextAttemptAt: new Date(now.getTime() + LEASE_MS),
        updatedAt: now,
      })
      .where(inArray(answerDeliveries.id, [...firstIds, ...rest.map((d) => d.id)]))
      .returning();
  });
}

/** Claimed rows per subscriber: each group becomes one write to one contact. */
export function groupBySubscriber(rows: Delivery[]): Delivery[][] {
  const groups = new Map<string, Delivery[]>();
  for (const row of rows) groups.set(row.subscriberId, [...(groups.get(row.subscriberId) ?? []), row]);
  return [...groups.values()];
}
