import { and, eq, ne } from "drizzle-orm";
import { getDb } from "@/db/client";
import { answerDeliveries, subscribers } from "@/db/schema";
import { clientForConnection, getLiveConnection, type IntercomConnection } from "@/lib/connections/intercom-connection";
import { markReconnectRequired } from "@/lib/connections/intercom-connection";
import type { IntercomClient } from "@/lib/intercom/client";
import { IntercomError } from "@/lib/intercom/errors";
import { MAX_ATTEMPTS, NO_CONTACT_RETRY_MS, rateLimitRetryAt, retryDelayMs } from "./backoff";
import { findBrokenMappings, MAPPING_BROKEN, markMappingBroken } from "./broken-mappings";
import { deliveryValueSchema, INVALID_VALUE, INVALID_VALUE_MESSAGE } from "./delivery-value";
import { isStoredAs, planContactWrite, type Delivery } from "./plan-contact-write";
import { findCurrentContact, relinkSubscriber } from "./resolve-contact";
import { lastErrorOf, released, settle } from "./settle";

export type DeliveryOutcome = "delivered" | "pending" | "unknown" | "failed" | "needs_attention" | "superseded" | "skipped";

export const NO_CONTACT_MESSAGE = "No matching Intercom contact yet";
export const CONTACT_NOT_FOUND = "contact_not_found";
export const SUPERSEDED_MESSAGE = "A newer answer to this attribute was sent instead";

/** Shared by the writes of one drain: after a 429 the workspace's other contacts wait too. */
export interface DrainContext {
  pausedUntil: Map<string, Date>;
}

export const newDrainContext = (): DrainContext => ({ pausedUntil: new Map() });

type Outcomes = Map<string, DeliveryOutcome>;
type Subscriber = typeof subscribers.$inferSelect;

interface Job {
  ctx: DrainContext;
  conn: IntercomConnection;
  client: IntercomClient;
  subscriber: Subscriber;
  outcomes: Outcomes;
}

/**
 * Writes one subscriber's claimed deliveries to their Intercom contact as a single absolute PUT
 * (newest answer per attribute only), checks what Intercom stored, and classifies any failure.
 * Returns each delivery's outcome.
 */
export async function writeContactDeliveries(claimed: Delivery[], ctx: DrainContext): Promise<Outcomes> {
  const outcomes: Outcomes = new Map();
  const mark = (list: Delivery[], outcome: DeliveryOutcome) => list.forEach((d) => outcomes.set(d.id, outcome));
  const { accountId, subscriberId } = claimed[0]!;

  const { readable: rows, unreadable } = readValues(claimed);
  for (const { delivery, issue } of unreadable) {
    await settle([delivery], {
      ...released(new Date()),
      state: "needs_attention",
      attentionReason: INVALID_VALUE,
      lastErrorCode: INVALID_VALUE,
      lastError: `${INVALID_VALUE_MESSAGE} (${issue}).`,
    });
  }
  mark(unreadable.map((u) => u.delivery), "needs_attention");
  if (rows.length === 0) return outcomes;

  const paused = ctx.pausedUntil.get(accountId);
  if (paused && paused.getTime() > Date.now()) {
    await settle(rows, released(paused));
    mark(rows, "skipped");
    return outcomes;
  }
  const conn = await getLiveConnection(accountId);
  if (!conn) {
    // Disconnected between claim and send: hand the rows back exactly as they were due.
    await settle(rows, released(new Date()));
    mark(rows, "skipped");
    return outcomes;
  }
  const db = await getDb();
  const subscriber = await db.query.subscribers.findFirst({
    where: and(eq(subscribers.id, subscriberId), eq(subscribers.accountId, accountId)),
  });
  if (!subscriber?.intercomContactId) {
    await settle(rows, {
      ...released(new Date(Date.now() + NO_CONTACT_RETRY_MS)),
      lastError: NO_CONTACT_MESSAGE,
      lastErrorCode: "no_contact",
    });
    mark(rows, "skipped");
    return outcomes;
  }

  const [siblings, broken] = await Promise.all([
    db
      .select()
      .from(answerDeliveries)
      .where(
        and(
          eq(answerDeliveries.accountId, accountId),
          eq(answerDeliveries.subscriberId, subscriberId),
          ne(answerDeliveries.state, "superseded"),
        ),
      ),
    findBrokenMappings(accountId, [...new Set(rows.map((r) => r.attribute))]),
  ]);
  const plan = planContactWrite(rows, siblings, new Set(broken.keys()), new Date());

  await settle(plan.superseded, { ...released(new Date()), state: "superseded", lastError: SUPERSEDED_MESSAGE, attentionReason: null });
  mark(plan.superseded, "superseded");
  for (const d of plan.mappingBroken) {
    await settle([d], {
      ...released(new Date()),
      state: "needs_attention",
      attentionReason: MAPPING_BROKEN,
      lastError: `Mapping broken: ${broken.get(d.attribute)}`,
    });
  }
  mark(plan.mappingBroken, "needs_attention");
  for (const { delivery, until } of plan.deferred) await settle([delivery], released(until));
  mark(plan.deferred.map((d) => d.delivery), "skipped");

  if (plan.send.length > 0) {
    const job: Job = { ctx, conn, client: clientForConnection(conn, { retries: 0 }), subscriber, outcomes };
    await putAnswers(job, subscriber.intercomContactId, plan.send, true);
  }
  return outcomes;
}

/** Rows whose stored value parses, with it; the others with what is wrong. */
function readValues(rows: Delivery[]): { readable: Delivery[]; unreadable: { delivery: Delivery; issue: string }[] } {
  const readable: Delivery[] = [];
  const unreadable: { delivery: Delivery; issue: string }[] = [];
  for (const delivery of rows) {
    const value = deliveryValueSchema.safeParse(delivery.value);
    if (value.success) readable.push({ ...delivery, value: value.data });
    else unreadable.push({ delivery, issue: `found ${JSON.stringify(delivery.value)?.slice(0, 80) ?? "nothing"}` });
  }
  return { readable, unreadable };
}

async function putAnswers(job: Job, contactId: string, rows: Delivery[], mayRelink: boolean): Promise<void> {
  const paused = job.ctx.pausedUntil.get(job.conn.accountId);
  if (paused && paused.getTime() > Date.now()) {
    await settle(rows, released(paused));
    rows.forEach((d) => job.outcomes.set(d.id, "skipped"));
    return;
  }
  try {
    const contact = await job.client.updateContact(contactId, {
      custom_attributes: Object.fromEntries(rows.map((d) => [d.attribute, d.value])),
    });
    const stored = rows.filter((d) => isStoredAs(contact.custom_attributes[d.attribute], d.value));
    const dropped = rows.filter((d) => !stored.includes(d));
    await settle(stored, {
      state: "delivered",
      contactId,
      deliveredAt: new Date(),
      lastError: null,
      lastErrorCode: null,
      lastStatus: 200,
      lastRequestId: null,
      attentionReason: null,
    });
    stored.forEach((d) => job.outcomes.set(d.id, "delivered"));
    for (const d of dropped) {
      await settle([d], { state: "failed", contactId, lastError: `Intercom did not store ${d.attribute}`, lastErrorCode: "not_stored", lastStatus: 200 });
      job.outcomes.set(d.id, "failed");
    }
  } catch (err) {
    if (!(err instanceof IntercomError)) throw err;
    await recordFailure(job, contactId, rows, err, mayRelink);
  }
}

async function recordFailure(job: Job, contactId: string, rows: Delivery[], err: IntercomError, mayRelink: boolean): Promise<void> {
  const set = (outcome: DeliveryOutcome, list = rows) => list.forEach((d) => job.outcomes.set(d.id, outcome));
  const base = { ...lastErrorOf(err), contactId };

  if (err.kind === "unauthorized") {
    await markReconnectRequired(job.conn, `Intercom rejected Holdfast's access token (${err.code ?? "401"})`);
    // Not the answers' fault: they keep their place and their attempt count until reconnect.
    await settle(rows, { ...base, ...released(new Date()) });
    return set("pending");
  }

  if (err.kind === "rate_limited") {
    const until = rateLimitRetryAt(err.details.retryAfterMs);
    job.ctx.pausedUntil.set(job.conn.accountId, until);
    await settle(rows, { ...base, ...released(until) });
    return set("pending");
  }

  if (err.kind === "not_found" || err.kind === "gone") {
    if (mayRelink) {
      let current: string | null;
      try {
        current = await findCurrentContact(job.client, job.subscriber, contactId, err);
      } catch (lookupErr) {
        if (!(lookupErr instanceof IntercomError)) throw lookupErr;
        return recordFailure(job, contactId, rows, lookupErr, false);
      }
      if (current) {
        await relinkSubscriber(job.subscriber, current);
        return putAnswers(job, current, rows, false);
      }
    }
    await settle(rows, { ...base, state: "needs_attention", attentionReason: CONTACT_NOT_FOUND, lastError: "contact not found" });
    return set("needs_attention");
  }

  if (err.kind === "invalid") {
    // Intercom rejects the whole PUT for one bad key: send each alone to find which one it is.
    if (rows.length > 1) {
      for (const d of rows) await putAnswers(job, contactId, [d], mayRelink);
      return;
    }
    const [d] = rows as [Delivery];
    await markMappingBroken(job.conn.accountId, d.attribute, err.message);
    await settle(rows, { ...base, state: "needs_attention", attentionReason: MAPPING_BROKEN });
    return set("needs_attention");
  }

  // A timeout (or a 2xx we could not read) may have been applied (traps C20): the answer stays
  // "unknown", never "failed", which would tell the admin Intercom does not have it. The PUT is
  // an absolute value, so re-sending it as is stays safe however often; past the attempt limit
  // the backoff sits at its cap (an hour) until Intercom answers or an admin retries by hand.
  if (err.kind === "timeout" || err.kind === "bad_response") {
    await settle(rows, { ...base, state: "unknown", nextAttemptAt: groupRetryAt(rows) });
    return set("unknown");
  }

  // 5xx, gateway HTML pages, connection errors: Intercom did not take the write. Back off and
  // try again, up to a limit.
  const exhausted = rows.filter((d) => d.attempts >= MAX_ATTEMPTS);
  const retrying = rows.filter((d) => d.attempts < MAX_ATTEMPTS);
  await settle(exhausted, { ...base, state: "failed", lastError: `Gave up after ${MAX_ATTEMPTS} attempts: ${err.message}` });
  set("failed", exhausted);
  if (retrying.length === 0) return;
  await settle(retrying, { ...base, state: "pending", nextAttemptAt: groupRetryAt(retrying) });
  set("pending", retrying);
}

/** One delay for the group keeps its answers coalesced into one PUT next time. */
function groupRetryAt(rows: Delivery[]): Date {
  return new Date(Date.now() + retryDelayMs(Math.max(...rows.map((d) => d.attempts))));
}
