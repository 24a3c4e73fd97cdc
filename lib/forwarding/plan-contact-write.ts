import type { answerDeliveries } from "@/db/schema";

export type Delivery = typeof answerDeliveries.$inferSelect;

/** What the planner needs to know about a subscriber's other deliveries. */
export type SiblingDelivery = Pick<
  Delivery,
  "id" | "attribute" | "answeredAt" | "createdAt" | "state" | "attempts" | "nextAttemptAt"
>;

export interface ContactWritePlan {
  /** One delivery per attribute, all going into a single PUT. */
  send: Delivery[];
  /** A newer answer for the same attribute exists: never sent. */
  superseded: Delivery[];
  /** Their question mapping is broken: wait for the admin. */
  mappingBroken: Delivery[];
  /** An older answer for the same attribute may still be in flight: try after it settles. */
  deferred: { delivery: Delivery; until: Date }[];
}

/** Newer by answeredAt; ties (same instant) by creation, then id, so every worker agrees. */
export function isNewer(a: SiblingDelivery, b: SiblingDelivery): boolean {
  const t = a.answeredAt.getTime() - b.answeredAt.getTime();
  if (t !== 0) return t > 0;
  const c = a.createdAt.getTime() - b.createdAt.getTime();
  if (c !== 0) return c > 0;
  return a.id > b.id;
}

/**
 * Decides what one PUT to a contact carries. Only the newest answer per attribute is ever sent,
 * so an older one can never overwrite a newer one, whatever order workers run in. The newest is
 * held back while an older answer to the same attribute was sent and has not settled (in flight
 * elsewhere, or timed out): that request could still land after ours.
 */
export function planContactWrite(
  claimed: Delivery[],
  siblings: SiblingDelivery[],
  brokenAttributes: ReadonlySet<string>,
  now: Date,
): ContactWritePlan {
  const plan: ContactWritePlan = { send: [], superseded: [], mappingBroken: [], deferred: [] };
  const claimedIds = new Set(claimed.map((d) => d.id));
  const all = [...siblings.filter((s) => !claimedIds.has(s.id)), ...claimed];
  for (const delivery of claimed) {
    const sameAttribute = all.filter((s) => s.id !== delivery.id && s.attribute === delivery.attribute && s.state !== "superseded");
    if (sameAttribute.some((s) => isNewer(s, delivery))) {
      plan.superseded.push(delivery);
      continue;
    }
    if (brokenAttributes.has(delivery.attribute)) {
      plan.mappingBroken.push(delivery);
      continue;
    }
    const unsettled = sameAttribute.filter(
      (s) =>
        !claimedIds.has(s.id) &&
        (s.state === "pending" || s.state === "unknown") &&
        s.attempts > 0 &&
        s.nextAttemptAt.getTime() > now.getTime(),
    );
    if (unsettled.length > 0) {
      const until = Math.max(...unsettled.map((s) => s.nextAttemptAt.getTime())) + 1000;
      plan.deferred.push({ delivery, until: new Date(until) });
      continue;
    }
    plan.send.push(delivery);
  }
  return plan;
}

/** Intercom echoes what it stored; anything else means the key was not stored as sent. */
export function isStoredAs(stored: unknown, sent: string | number): boolean {
  return stored === sent;
}
