import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { subscribers } from "@/db/schema";
import type { IntercomClient } from "@/lib/intercom/client";
import { IntercomError } from "@/lib/intercom/errors";
import { emailKey, pickContact } from "@/lib/matching/email";

type Subscriber = typeof subscribers.$inferSelect;

/**
 * Where a subscriber's answers go now that their contact answered 404 or 410: the merge
 * survivor Intercom names (410 Link header, on the write or on a GET, since writes to a merged
 * contact answer a bare 404), else the best contact with the subscriber's email. Null when
 * Intercom has no such person. Other Intercom errors (401, 429, ...) propagate to the caller.
 */
export async function findCurrentContact(
  client: IntercomClient,
  subscriber: Subscriber,
  goneId: string,
  err: IntercomError,
): Promise<string | null> {
  if (err.details.canonicalId) return err.details.canonicalId;
  try {
    await client.getContact(goneId);
    // Readable but not writable: nothing better to write to.
    return null;
  } catch (getErr) {
    if (!(getErr instanceof IntercomError) || (getErr.kind !== "gone" && getErr.kind !== "not_found")) throw getErr;
    if (getErr.details.canonicalId) return getErr.details.canonicalId;
  }
  const key = emailKey(subscriber.email);
  if (!key) return null;
  const found = await client.searchContacts({
    query: { field: "email", operator: "=", value: key },
    pagination: { per_page: 50 },
  });
  const candidates = found.data
    .filter((c) => c.id !== goneId && emailKey(c.email) === key)
    .map((c) => ({ contactId: c.id, role: c.role, externalId: c.external_id ?? null, updatedAt: c.updated_at }));
  return pickContact(candidates, subscriber.externalId)?.contactId ?? null;
}

/** Points the subscriber at the contact their answers now go to (the sync keeps it current after). */
export async function relinkSubscriber(subscriber: Subscriber, contactId: string): Promise<void> {
  const db = await getDb();
  const now = new Date();
  await db
    .update(subscribers)
    .set({ intercomContactId: contactId, intercomMatch: "matched", intercomLinkedAt: now, updatedAt: now })
    .where(and(eq(subscribers.id, subscriber.id), eq(subscribers.accountId, subscriber.accountId)));
}
