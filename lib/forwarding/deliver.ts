import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { answerDeliveries, subscribers } from "@/db/schema";
import { clientForConnection, getLiveConnection, markReconnectRequired } from "@/lib/connections/intercom-connection";
import { IntercomError } from "@/lib/intercom/errors";
import { claimDueDeliveries, type Delivery } from "./claim";
import { MAX_ATTEMPTS, NO_CONTACT_RETRY_MS, retryDelayMs } from "./backoff";

export type DeliveryOutcome = "delivered" | "pending" | "unknown" | "failed" | "needs_attention" | "skipped";

export const NO_CONTACT_MESSAGE = "No matching Intercom contact yet";

/** Claims one delivery (if due and not being sent elsewhere) and writes it to Intercom now. */
export async function deliverAnswer(deliveryId: string): Promise<DeliveryOutcome> {
  const [claimed] = await claimDueDeliveries({ limit: 1, deliveryId });
  return claimed ? sendClaimedDelivery(claimed) : "skipped";
}

/** Sends a delivery this worker holds the lease on, and records what Intercom answered. */
export async function sendClaimedDelivery(delivery: Delivery): Promise<DeliveryOutcome> {
  const db = await getDb();
  const conn = await getLiveConnection(delivery.accountId);
  const subscriber = await db.query.subscribers.findFirst({
    where: and(eq(subscribers.id, delivery.subscriberId), eq(subscribers.accountId, delivery.accountId)),
  });
  if (!conn) {
    // Disconnected between claim and send: hand the row back exactly as it was due.
    await update(delivery, { attempts: delivery.attempts - 1, nextAttemptAt: new Date() });
    return "skipped";
  }
  const contactId = subscriber?.intercomContactId;
  if (!contactId) {
    await update(delivery, {
      attempts: delivery.attempts - 1,
      nextAttemptAt: new Date(Date.now() + NO_CONTACT_RETRY_MS),
      lastError: NO_CONTACT_MESSAGE,
      lastErrorCode: "no_contact",
    });
    return "skipped";
  }

  const client = clientForConnection(conn, { retries: 0 });
  const write = (id: string) => client.updateContact(id, { custom_attributes: { [delivery.attribute]: delivery.value } });
  let sentTo = contactId;
  try {
    const contact = await write(contactId).catch((err: unknown) => {
      // A merged contact names its survivor: the answer belongs there.
      if (!(err instanceof IntercomError) || err.kind !== "gone" || !err.details.canonicalId) throw err;
      sentTo = err.details.canonicalId;
      return write(sentTo);
    });
    if (contact.custom_attributes[delivery.attribute] !== delivery.value) {
      await update(delivery, { state: "failed", contactId: sentTo, lastError: "Intercom did not store the value", lastErrorCode: "not_stored" });
      return "failed";
    }
    await update(delivery, {
      state: "delivered",
      contactId: sentTo,
      deliveredAt: new Date(),
      lastError: null,
      lastErrorCode: null,
      lastRequestId: null,
    });
    return "delivered";
  } catch (err) {
    if (!(err instanceof IntercomError)) throw err;
    return recordFailure(delivery, sentTo, err, conn.id);
  }
}

async function recordFailure(delivery: Delivery, contactId: string, err: IntercomError, connectionId: string) {
  const base = { contactId, lastError: err.message, lastErrorCode: err.code ?? err.kind, lastRequestId: err.details.requestId ?? null };
  if (err.kind === "unauthorized") {
    await markReconnectRequired(connectionId, "Intercom rejected the access token (401). Reconnect Intercom.");
    // Not the delivery's fault: keep it pending without spending an attempt.
    await update(delivery, { ...base, attempts: delivery.attempts - 1, nextAttemptAt: new Date() });
    return "pending";
  }
  if (err.kind === "not_found" || err.kind === "gone") {
    await update(delivery, { ...base, state: "needs_attention", lastError: `Intercom contact not found (${err.message})` });
    return "needs_attention";
  }
  if (err.kind === "invalid" || err.kind === "other" || err.kind === "bad_response") {
    await update(delivery, { ...base, state: "needs_attention" });
    return "needs_attention";
  }
  if (delivery.attempts >= MAX_ATTEMPTS) {
    await update(delivery, { ...base, state: "failed", lastError: `Gave up after ${delivery.attempts} attempts: ${err.message}` });
    return "failed";
  }
  // Timeout: Intercom may have applied the write; the retry re-sends the same absolute value.
  const state = err.kind === "timeout" ? "unknown" : "pending";
  const nextAttemptAt = new Date(Date.now() + retryDelayMs(delivery.attempts, err.details.retryAfterMs ?? 0));
  await update(delivery, { ...base, state, nextAttemptAt });
  return state;
}

/**
 * Records the result only if the row still carries our lease: a changed answer resets
 * nextAttemptAt, and this stale send must then not overwrite the newer value's state.
 */
async function update(delivery: Delivery, set: Partial<typeof answerDeliveries.$inferInsert>) {
  const db = await getDb();
  await db
    .update(answerDeliveries)
    .set({ ...set, updatedAt: new Date() })
    .where(
      and(
        eq(answerDeliveries.id, delivery.id),
        eq(answerDeliveries.accountId, delivery.accountId),
        eq(answerDeliveries.nextAttemptAt, delivery.nextAttemptAt),
      ),
    );
}

/** An admin's "Retry now": a failed or stuck delivery goes back in the queue and is sent at once. */
export async function retryDelivery(
  accountId: string,
  deliveryId: string,
): Promise<{ ok: true; outcome: DeliveryOutcome } | { ok: false; error: string }> {
  const db = await getDb();
  const [row] = await db
    .update(answerDeliveries)
    .set({ state: "pending", attempts: 0, nextAttemptAt: new Date(), updatedAt: new Date() })
    .where(
      and(
        eq(answerDeliveries.id, deliveryId),
        eq(answerDeliveries.accountId, accountId),
        sql`${answerDeliveries.state} <> 'delivered'`,
      ),
    )
    .returning({ id: answerDeliveries.id });
  if (!row) return { ok: false, error: "Delivery not found or already delivered." };
  return { ok: true, outcome: await deliverAnswer(row.id) };
}
