import { and, eq, notInArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { answerDeliveries } from "@/db/schema";
import { claimDueDeliveries } from "./claim";
import { newDrainContext, writeContactDeliveries, type DeliveryOutcome } from "./write-contact";

export type { DeliveryOutcome } from "./write-contact";
export { NO_CONTACT_MESSAGE } from "./write-contact";

/**
 * Claims one delivery (if due and not being sent elsewhere), with its subscriber's other due
 * answers, and writes them to Intercom now. Returns what happened to this delivery.
 */
export async function deliverAnswer(deliveryId: string): Promise<DeliveryOutcome> {
  const claimed = await claimDueDeliveries({ limit: 1, deliveryId });
  if (claimed.length === 0) return "skipped";
  const outcomes = await writeContactDeliveries(claimed, newDrainContext());
  return outcomes.get(deliveryId) ?? "skipped";
}

/** An admin's "Retry now": a failed or waiting delivery goes back in the queue and is sent at once. */
export async function retryDelivery(
  accountId: string,
  deliveryId: string,
): Promise<{ ok: true; outcome: DeliveryOutcome } | { ok: false; error: string }> {
  const db = await getDb();
  const [row] = await db
    .update(answerDeliveries)
    .set({ state: "pending", attempts: 0, attentionReason: null, nextAttemptAt: new Date(), updatedAt: new Date() })
    .where(
      and(
        eq(answerDeliveries.id, deliveryId),
        eq(answerDeliveries.accountId, accountId),
        // Final states: a superseded answer must never be sent after the newer one.
        notInArray(answerDeliveries.state, ["delivered", "superseded"]),
      ),
    )
    .returning({ id: answerDeliveries.id });
  if (!row) return { ok: false, error: "Delivery not found, already delivered or replaced by a newer answer." };
  return { ok: true, outcome: await deliverAnswer(row.id) };
}
