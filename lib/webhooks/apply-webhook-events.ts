import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { intercomContacts, webhookEvents } from "@/db/schema";
import { getConnection } from "@/lib/connections/intercom-connection";
import { contactSchema, type IntercomContact } from "@/lib/intercom/schemas";
import { applyContacts, relinkMergedContact, unlinkContact } from "@/lib/sync/contact-lifecycle";
import { actionForTopic, storedItem, storedMergedFromId } from "./notification";
import type { WebhookEvent } from "./process-webhook-events";

export type EventOutcome = { status: "processed" | "ignored" | "retry" | "failed"; error?: string };

const OLDER = "Older than the contact version already stored (notifications arrive in any order)";

/**
 * Applies a claimed batch through the sync's own matching and upsert path. Per account, events
 * keep their arrival order: contact versions are applied a page at a time, and a merge or an
 * unlink first flushes the versions received before it.
 */
export async function applyWebhookBatch(batch: WebhookEvent[]): Promise<Map<string, EventOutcome>> {
  const out = new Map<string, EventOutcome>();
  const byAccount = new Map<string, WebhookEvent[]>();
  for (const e of batch) {
    if (!e.accountId) out.set(e.id, { status: "ignored", error: "No account for this workspace" });
    else byAccount.set(e.accountId, [...(byAccount.get(e.accountId) ?? []), e]);
  }
  for (const [accountId, events] of byAccount) {
    const conn = await getConnection(accountId);
    if (!conn || conn.status === "disconnected") {
      for (const e of events) out.set(e.id, { status: "ignored", error: "Intercom is no longer connected to this account" });
      continue;
    }
    let versions: WebhookEvent[] = [];
    // Deletions applied earlier in this batch: not yet recorded as processed, but just as final.
    const deletedHere = new Set<string>();
    for (const e of events) {
      if (actionForTopic(e.topic) === "apply") {
        versions.push(e);
        continue;
      }
      await settle(out, versions, () => applyVersions(accountId, versions, out, deletedHere));
      versions = [];
      await settle(out, [e], () => applyLifecycle(accountId, e, out));
      if (e.topic === "contact.deleted" && e.contactId && out.get(e.id)?.status === "processed") deletedHere.add(e.contactId);
    }
    await settle(out, versions, () => applyVersions(accountId, versions, out, deletedHere));
  }
  return out;
}

/** Runs one step; if it throws (Intercom or the database unavailable), its events are retried later. */
async function settle(out: Map<string, EventOutcome>, events: WebhookEvent[], step: () => Promise<void>) {
  if (events.length === 0) return;
  try {
    await step();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`[webhooks] applying ${events.length} notification(s) failed; retrying later`, err);
    for (const e of events) out.set(e.id, { status: "retry", error: message.slice(0, 500) });
  }
}

function contactOf(e: WebhookEvent): IntercomContact | null {
  const parsed = contactSchema.safeParse(storedItem(e.payload));
  return parsed.success ? parsed.data : null;
}

async function applyVersions(accountId: string, events: WebhookEvent[], out: Map<string, EventOutcome>, deletedHere: Set<string>) {
  const candidates: Array<{ event: WebhookEvent; contact: IntercomContact }> = [];
  for (const event of events) {
    const contact = contactOf(event);
    if (contact) candidates.push({ event, contact });
    else out.set(event.id, { status: "failed", error: "The notification's item is not a contact" });
  }
  if (candidates.length === 0) return;
  const ids = [...new Set(candidates.map((c) => c.contact.id))];
  const stored = await storedVersions(accountId, ids);
  const deleted = await deletedContacts(accountId, ids);
  for (const id of ids) if (deletedHere.has(id)) deleted.add(id);

  // Several versions of one contact in a batch (a burst): only the newest is applied; repeats of
  // that same version count as applied, strictly older ones as ignored.
  const newest = new Map<string, IntercomContact>();
  for (const { contact } of candidates) {
    const seen = newest.get(contact.id);
    if (!seen || contact.updated_at >= seen.updated_at) newest.set(contact.id, contact);
  }
  const toApply: IntercomContact[] = [];
  for (const contact of newest.values()) {
    if (deleted.has(contact.id)) continue;
    if (contact.updated_at < (stored.get(contact.id) ?? -Infinity)) continue;
    toApply.push(contact);
  }
  if (toApply.length > 0) await applyContacts(accountId, toApply);
  for (const { event, contact } of candidates) {
    if (deleted.has(contact.id)) out.set(event.id, { status: "ignored", error: "The contact was deleted in Intercom" });
    else if (contact.updated_at < (stored.get(contact.id) ?? -Infinity)) out.set(event.id, { status: "ignored", error: OLDER });
    else if (contact.updated_at < newest.get(contact.id)!.updated_at) out.set(event.id, { status: "ignored", error: OLDER });
    else out.set(event.id, { status: "processed" });
  }
}

async function applyLifecycle(accountId: string, event: WebhookEvent, out: Map<string, EventOutcome>) {
  const contactId = event.contactId;
  if (!contactId) {
    out.set(event.id, { status: "failed", error: "The notification names no contact" });
    return;
  }
  if (actionForTopic(event.topic) === "merge") {
    const survivor = contactOf(event);
    const fromId = storedMergedFromId(event.payload);
    if (!fromId || !survivor) {
      out.set(event.id, { status: "failed", error: "contact.merged without merged_from.id or a survivor contact" });
      return;
    }
    await relinkMergedContact(accountId, fromId, survivor.id);
    // Subscribers of the survivor's email may not have had the merged contact at all.
    await applyContacts(accountId, [survivor]);
    out.set(event.id, { status: "processed" });
    return;
  }
  // Deleted items carry no updated_at; an archive older than the stored version (the contact was
  // unarchived and changed since) is stale.
  if (event.itemUpdatedAt !== null) {
    const stored = await storedVersions(accountId, [contactId]);
    if (event.itemUpdatedAt < (stored.get(contactId) ?? -Infinity)) {
      out.set(event.id, { status: "ignored", error: OLDER });
      return;
    }
  }
  await unlinkContact(accountId, contactId, event.topic === "contact.deleted" ? "deleted" : "archived");
  out.set(event.id, { status: "processed" });
}

async function storedVersions(accountId: string, contactIds: string[]): Promise<Map<string, number>> {
  const db = await getDb();
  const rows = await db
    .select({ contactId: intercomContacts.contactId, updatedAt: intercomContacts.contactUpdatedAt })
    .from(intercomContacts)
    .where(and(eq(intercomContacts.accountId, accountId), inArray(intercomContacts.contactId, contactIds)));
  return new Map(rows.map((r) => [r.contactId, r.updatedAt]));
}

/** A late update about a contact already deleted must not bring it back as a candidate. */
async function deletedContacts(accountId: string, contactIds: string[]): Promise<Set<string>> {
  const db = await getDb();
  const rows = await db
    .select({ contactId: webhookEvents.contactId })
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.accountId, accountId),
        eq(webhookEvents.topic, "contact.deleted"),
        eq(webhookEvents.status, "processed"),
        inArray(webhookEvents.contactId, contactIds),
      ),
    );
  return new Set(rows.map((r) => r.contactId!));
}
