import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { executeRows, inTextList, jsonRows } from "@/db/bulk-sql";
import { intercomContacts, subscribers, syncErrors } from "@/db/schema";
import type { IntercomContact } from "@/lib/intercom/schemas";
import { emailKey, pickContact } from "@/lib/matching/email";
import { coerceIntercomValue, readContactAttribute } from "@/lib/properties/coerce";
import type { PropertyType } from "@/lib/properties/types";
import { storableText } from "@/lib/text/storable";

export interface SyncMapping {
  propertyId: string;
  intercomAttribute: string;
  intercomLabel: string;
  propertyType: PropertyType;
}

export interface SyncContext {
  accountId: string;
  /** Sync errors are recorded against this run; null (webhooks) counts them without recording. */
  runId: string | null;
  mappings: SyncMapping[];
}

export interface PageOutcome {
  /** Subscribers now linked to a contact of this page. */
  linkedSubscriberIds: string[];
  valuesUpdated: number;
  errors: number;
  withoutEmail: number;
  /** Subscribers whose chosen contact changed to one stored from an earlier page or run. */
  refetch: Array<{ subscriberId: string; contactId: string }>;
  /** Contacts older than the version already stored (a late webhook, a page read before a newer one). */
  skippedStale: number;
}

type SubscriberLink = Pick<
  typeof subscribers.$inferSelect,
  "id" | "emailKey" | "externalId" | "intercomContactId" | "intercomMatch" | "intercomCandidates"
>;

/**
 * Applies one search page in one transaction: records the page's contacts as candidates for the
 * subscribers sharing their email, re-picks each affected subscriber's contact across ALL stored
 * candidates (so duplicates on different pages or runs resolve the same way), then writes the
 * mapped values of subscribers whose chosen contact is on this page.
 */
export async function applyContactPage(db: Db, ctx: SyncContext, page: IntercomContact[]): Promise<PageOutcome> {
  const unique = latestById(page);
  if (unique.length === 0) return { linkedSubscriberIds: [], valuesUpdated: 0, errors: 0, withoutEmail: 0, refetch: [], skippedStale: 0 };

  return db.transaction(async (tx) => {
    // Paging is at-least-once and webhooks arrive in any order: a version older than the one
    // stored is dropped, so replaying a page or a late notification never moves data backwards.
    const known = await tx
      .select({ contactId: intercomContacts.contactId, emailKey: intercomContacts.emailKey, updatedAt: intercomContacts.contactUpdatedAt })
      .from(intercomContacts)
      .where(and(eq(intercomContacts.accountId, ctx.accountId), inTextList(intercomContacts.contactId, unique.map((c) => c.id))));
    const storedAt = new Map(known.map((k) => [k.contactId, k.updatedAt]));
    const contacts = unique.filter((c) => c.updated_at >= (storedAt.get(c.id) ?? -Infinity));
    const keyOf = new Map(contacts.map((c) => [c.id, emailKey(c.email)]));
    const withoutEmail = contacts.filter((c) => keyOf.get(c.id) === null).length;
    const pageIds = contacts.map((c) => c.id);
    // A contact's previous email counts too: the subscriber it leaves must drop it as a candidate.
    const pageKeys = [
      ...new Set([...keyOf.values(), ...known.filter((k) => keyOf.has(k.contactId)).map((k) => k.emailKey)].filter((k): k is string => k !== null)),
    ];
    const empty: PageOutcome = { linkedSubscriberIds: [], valuesUpdated: 0, errors: 0, withoutEmail, refetch: [], skippedStale: unique.length - contacts.length };
    if (contacts.length === 0) return empty;

    // Subscribers sharing an email with this page, or linked to one of its contacts (whose
    // email may have changed since): one query per page.
    const affected: SubscriberLink[] = await tx
      .select({
        id: subscribers.id,
        emailKey: subscribers.emailKey,
        externalId: subscribers.externalId,
        intercomContactId: subscribers.intercomContactId,
        intercomMatch: subscribers.intercomMatch,
        intercomCandidates: subscribers.intercomCandidates,
      })
      .from(subscribers)
      .where(
        and(
          eq(subscribers.accountId, ctx.accountId),
          pageKeys.length > 0
            ? or(inTextList(subscribers.emailKey, pageKeys), inTextList(subscribers.intercomContactId, pageIds))
            : inTextList(subscribers.intercomContactId, pageIds),
        ),
      );
    const subscriberKeys = new Set(affected.map((s) => s.emailKey));

    const candidates = contacts.filter((c) => subscriberKeys.has(keyOf.get(c.id) ?? ""));
    // A stored contact whose email changed away from every subscriber stops being anyone's
    // candidate (contacts never stored have nothing to delete).
    const notCandidates = contacts.filter((c) => storedAt.has(c.id) && !subscriberKeys.has(keyOf.get(c.id) ?? "")).map((c) => c.id);
    if (notCandidates.length > 0) {
      await tx
        .delete(intercomContacts)
        .where(and(eq(intercomContacts.accountId, ctx.accountId), inArray(intercomContacts.contactId, notCandidates)));
    }
    if (candidates.length > 0) {
      const rows = candidates.map((c) => ({
        contact_id: c.id,
        email_key: keyOf.get(c.id)!,
        role: storableText(c.role),
        // Only a tie-breaker against our subscribers' ids, which never hold a NUL.
        external_id: c.external_id ? storableText(c.external_id) : null,
        contact_updated_at: c.updated_at,
      }));
      await tx.execute(sql`
        insert into intercom_contacts (account_id, contact_id, email_key, role, external_id, contact_updated_at)
        select ${ctx.accountId}::uuid, v.contact_id, v.email_key, v.role, v.external_id, v.contact_updated_at
        from jsonb_to_recordset(${jsonRows(rows)}::jsonb)
          as v(contact_id text, email_key text, role text, external_id text, contact_updated_at bigint)
        on conflict (account_id, contact_id) do update set
          email_key = excluded.email_key,
          role = excluded.role,
          external_id = excluded.external_id,
          contact_updated_at = excluded.contact_updated_at,
          seen_at = now()`);
    }
    if (affected.length === 0) return empty;

    const stored = await tx
      .select()
      .from(intercomContacts)
      .where(and(eq(intercomContacts.accountId, ctx.accountId), inTextList(intercomContacts.emailKey, [...subscriberKeys])));
    const byKey = new Map<string, typeof stored>();
    for (const row of stored) byKey.set(row.emailKey, [...(byKey.get(row.emailKey) ?? []), row]);

    const onPage = new Map(contacts.map((c) => [c.id, c]));
    const linkedSubscriberIds: string[] = [];
    const refetch: PageOutcome["refetch"] = [];
    const valueSources: Array<{ subscriberId: string; contact: IntercomContact }> = [];
    const links: LinkChange[] = [];
    for (const sub of affected) {
      const rows = byKey.get(sub.emailKey) ?? [];
      const chosen = pickContact(
        rows.map((r) => ({ contactId: r.contactId, role: r.role, externalId: r.externalId, updatedAt: r.contactUpdatedAt })),
        sub.externalId,
      );
      const contactId = chosen?.contactId ?? null;
      const match = rows.length === 0 ? "none" : rows.length > 1 ? "ambiguous" : "matched";
      const relinked = contactId !== sub.intercomContactId;
      if (relinked || match !== sub.intercomMatch || rows.length !== sub.intercomCandidates) {
        links.push({ id: sub.id, contactId, match, candidates: rows.length, relinked });
      }
      if (!contactId) continue;
      const contact = onPage.get(contactId);
      if (contact) {
        linkedSubscriberIds.push(sub.id);
        valueSources.push({ subscriberId: sub.id, contact });
      } else if (relinked) {
        refetch.push({ subscriberId: sub.id, contactId });
      }
    }

    await updateLinks(tx, ctx.accountId, links);
    const written = await writePropertyValues(tx, ctx, valueSources);
    return { ...empty, linkedSubscriberIds, valuesUpdated: written.updated, errors: written.errors, refetch };
  });
}

export interface LinkChange {
  id: string;
  contactId: string | null;
  match: "none" | "matched" | "ambiguous";
  candidates: number;
  relinked: boolean;
}

/** All of a page's link changes in one UPDATE (a first sync links thousands of subscribers). */
export async function updateLinks(tx: Tx, accountId: string, links: LinkChange[]) {
  if (links.length === 0) return;
  const rows = links.map((l) => ({ id: l.id, contact_id: l.contactId, match: l.match, candidates: l.candidates, relinked: l.relinked }));
  await tx.execute(sql`
    update subscribers set
      intercom_contact_id = v.contact_id,
      intercom_match = v.match::subscriber_match,
      intercom_candidates = v.candidates,
      -- Only a new contact restarts the link's age; a changed candidate count does not.
      intercom_linked_at = case when not v.relinked then subscribers.intercom_linked_at when v.contact_id is null then null else now() end,
      updated_at = now()
    from jsonb_to_recordset(${jsonRows(rows)}::jsonb) as v(id uuid, contact_id text, match text, candidates integer, relinked boolean)
    where subscribers.account_id = ${accountId}::uuid and subscribers.id = v.id`);
}

/** Values for subscribers whose contact had to be fetched on its own (see PageOutcome.refetch). */
export async function applyFetchedContacts(
  db: Db,
  ctx: SyncContext,
  sources: Array<{ subscriberId: string; contact: IntercomContact }>,
) {
  if (sources.length === 0) return { updated: 0, errors: 0 };
  return db.transaction((tx) => writePropertyValues(tx, ctx, sources));
}

/**
 * One multi-row upsert per page. Rows whose value and source are unchanged are left alone, so a
 * run over unchanged data writes (and counts) nothing. Values that do not fit their property
 * become sync errors; the stored value stays as it was.
 */
async function writePropertyValues(
  tx: Tx,
  ctx: SyncContext,
  sources: Array<{ subscriberId: string; contact: IntercomContact }>,
): Promise<{ updated: number; errors: number }> {
  if (ctx.mappings.length === 0 || sources.length === 0) return { updated: 0, errors: 0 };
  const values: Array<{
    subscriber_id: string;
    property_id: string;
    value: string | number | boolean | null;
    source_contact_id: string;
    source_attribute: string;
    source_updated_at: number;
  }> = [];
  const errors: Array<Omit<typeof syncErrors.$inferInsert, "runId">> = [];
  for (const { subscriberId, contact } of sources) {
    for (const m of ctx.mappings) {
      const coerced = coerceIntercomValue(readContactAttribute(contact, m.intercomAttribute), m.propertyType);
      if (coerced.ok) {
        values.push({
          subscriber_id: subscriberId,
          property_id: m.propertyId,
          value: coerced.value,
          source_contact_id: contact.id,
          source_attribute: m.intercomAttribute,
          source_updated_at: contact.updated_at,
        });
      } else {
        errors.push({
          accountId: ctx.accountId,
          subscriberId,
          contactId: contact.id,
          propertyId: m.propertyId,
          message: `${m.intercomLabel}: ${coerced.reason}`,
        });
      }
    }
  }
  let updated = 0;
  if (values.length > 0) {
    const rows = await executeRows<{ subscriber_id: string }>(
      tx,
      sql`
        insert into subscriber_property_values
          (account_id, subscriber_id, property_id, value, source_contact_id, source_attribute, source_updated_at)
        select ${ctx.accountId}::uuid, v.subscriber_id, v.property_id, v.value, v.source_contact_id, v.source_attribute, v.source_updated_at
        from jsonb_to_recordset(${jsonRows(values)}::jsonb)
          as v(subscriber_id uuid, property_id uuid, value jsonb, source_contact_id text, source_attribute text, source_updated_at bigint)
        on conflict (subscriber_id, property_id) do update set
          value = excluded.value,
          source_contact_id = excluded.source_contact_id,
          source_attribute = excluded.source_attribute,
          source_updated_at = excluded.source_updated_at,
          synced_at = now(),
          stale = false
        -- Only real changes are written (and counted); an older version of the same contact never
        -- overwrites a newer one.
        where (subscriber_property_values.value is distinct from excluded.value
            or subscriber_property_values.source_contact_id is distinct from excluded.source_contact_id
            or subscriber_property_values.source_attribute is distinct from excluded.source_attribute
            or subscriber_property_values.stale)
          and (subscriber_property_values.source_contact_id is distinct from excluded.source_contact_id
            or subscriber_property_values.source_updated_at <= excluded.source_updated_at)
        returning subscriber_id`,
    );
    updated = rows.length;
  }
  if (errors.length > 0 && ctx.runId) {
    const runId = ctx.runId;
    await tx.insert(syncErrors).values(errors.map((e) => ({ ...e, runId })));
  }
  return { updated, errors: errors.length };
}

/** The same contact twice in one page (it moved while paging): keep its newest version. */
function latestById(page: IntercomContact[]): IntercomContact[] {
  const byId = new Map<string, IntercomContact>();
  for (const c of page) {
    const seen = byId.get(c.id);
    if (!seen || c.updated_at >= seen.updated_at) byId.set(c.id, c);
  }
  return [...byId.values()];
}
