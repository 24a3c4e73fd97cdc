import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { answerDeliveries } from "@/db/schema";
import type { IntercomError } from "@/lib/intercom/errors";
import type { Delivery } from "./plan-contact-write";

export type DeliveryChange = Partial<typeof answerDeliveries.$inferInsert>;

/**
 * Records the result for rows this worker still holds the lease on: a changed answer resets
 * nextAttemptAt, and this stale send must then not overwrite the newer value's state.
 */
export async function settle(rows: Delivery[], change: DeliveryChange): Promise<void> {
  if (rows.length === 0) return;
  const db = await getDb();
  const byLease = new Map<number, Delivery[]>();
  for (const row of rows) byLease.set(row.nextAttemptAt.getTime(), [...(byLease.get(row.nextAttemptAt.getTime()) ?? []), row]);
  for (const [lease, leased] of byLease) {
    await db
      .update(answerDeliveries)
      .set({ ...change, updatedAt: new Date() })
      .where(
        and(
          inArray(answerDeliveries.id, leased.map((r) => r.id)),
          eq(answerDeliveries.accountId, leased[0]!.accountId),
          eq(answerDeliveries.nextAttemptAt, new Date(lease)),
        ),
      );
  }
}

/** Hands claimed rows back without spending an attempt: nothing was (or could be) sent for them. */
export function released(nextAttemptAt: Date): DeliveryChange {
  return { attempts: sql`greatest(${answerDeliveries.attempts} - 1, 0)` as unknown as number, nextAttemptAt };
}

/** What the deliveries page shows about the last Intercom answer. */
export function lastErrorOf(err: IntercomError): DeliveryChange {
  return {
    lastError: err.message,
    lastErrorCode: err.code ?? err.kind,
    lastStatus: err.status ?? null,
    lastRequestId: err.details.requestId ?? null,
  };
}
