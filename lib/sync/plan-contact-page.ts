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

/** What the database holds about one page, read in one statement before anything is written. */
export interface PageState {
  /** Stored versions of the page's contacts. */
  known: Array<{ contactId: string; emailKey: string; updatedAt: number }>;
  /** Subscribers sharing an email with the page (new or previous), or linked to one of its contacts. */
  affected: Array<{
    id: string;
    emailKey: string;
    externalId: string | null;
    intercomContactId: string | null;
    intercomMatch: "none" | "matched" | "ambiguous";
    intercomCandidates: number;
  }>;
  /** Every stored candidate carrying one of the affected subscribers' emails. */
  stored: CandidateRow[];
}

export interface CandidateRow {
  contactId: string;
  emailKey: string;
  role: string;
  externalId: string | null;
  updatedAt: number;
}

export interface LinkChange {
  id: string;
  contactId: string | null;
  match: "none" | "matched" | "ambiguous";
  candidates: number;
  relinked: boolean;
}

export interface PagePlan {
  /** Contacts of the page that are now some subscriber's candidate (insert or refresh). */
  candidates: CandidateRow[];
  /** Stored contacts whose email moved away from every subscriber, with the version that says so. */
  notCandidates: Array<{ contactId: string; updatedAt: number }>;
  links: LinkChange[];
  /** Subscribers whose chosen contact is on this page: their values come from it. */
  valueSources: Array<{ subscriberId: string; contact: IntercomContact }>;
  /** Subscribers whose chosen contact changed to one stored from an earlier page or run. */
  refetch: Array<{ subscriberId: string; contactId: string }>;
  withoutEmail: number;
  /** Contacts older than the version already stored (a late webhook, a page read before a newer one). */
  skippedStale: number;
}

/** The same contact twice in one page (it moved while paging): keep its newest version. */
export function latestById(page: IntercomContact[]): IntercomContact[] {
  const byId = new Map<string, IntercomContact>();
  for (const c of page) {
    const seen = byId.get(c.id);
    if (!seen || c.updated_at >= seen.updated_at) byId.set(c.id, c);
  }
  return [...byId.values()];
}

/**
 * Decides everything one page changes: which contacts become or stop being candidates, which
 * subscribers are (re)linked, and whose values this page supplies. Each affected subscriber's
 * contact is picked across ALL its candidates as they will be once the page is written, so
 * duplicates on different pages or runs resolve the same way.
 */
export function planContactPage(unique: IntercomContact[], state: PageState): PagePlan {
  // Paging is at-least-once and webhooks arrive in any order: a version older than the one
  // stored is dropped, so replaying a page or a late notification never moves data backwards.
  const storedAt = new Map(state.known.map((k) => [k.contactId, k.updatedAt]));
  const contacts = unique.filter((c) => c.updated_at >= (storedAt.get(c.id) ?? -Infinity));
  const keyOf = new Map(contacts.map((c) => [c.id, emailKey(c.email)]));
  const subscriberKeys = new Set(state.affected.map((s) => s.emailKey));

  const candidates: CandidateRow[] = [];
  const notCandidates: PagePlan["notCandidates"] = [];
  for (const c of contacts) {
    const key = keyOf.get(c.id) ?? null;
    if (key !== null && subscriberKeys.has(key)) {
      candidates.push({
        contactId: c.id,
        emailKey: key,
        role: storableText(c.role),
        // Only a tie-breaker against our subscribers' ids, which never hold a NUL.
        externalId: c.external_id ? storableText(c.external_id) : null,
        updatedAt: c.updated_at,
      });
    } else if (storedAt.has(c.id)) {
      // Contacts never stored have nothing to delete.
      notCandidates.push({ contactId: c.id, updatedAt: c.updated_at });
    }
  }

  // The candidate sets as they will be after this page: the page's fresh contacts replace
  // (or remove) their stored rows; stale ones leave theirs as they were.
  const rewritten = new Set(contacts.map((c) => c.id));
  const byKey = new Map<string, CandidateRow[]>();
  for (const row of [...state.stored.filter((r) => !rewritten.has(r.contactId)), ...candidates]) {
    byKey.set(row.emailKey, [...(byKey.get(row.emailKey) ?? []), row]);
  }

  const onPage = new Map(contacts.map((c) => [c.id, c]));
  const links: LinkChange[] = [];
  const valueSources: PagePlan["valueSources"] = [];
  const refetch: PagePlan["refetch"] = [];
  for (const sub of state.affected) {
    const rows = byKey.get(sub.emailKey) ?? [];
    const contactId = pickContact(rows, sub.externalId)?.contactId ?? null;
    const match = rows.length === 0 ? "none" : rows.length > 1 ? "ambiguous" : "matched";
    const relinked = contactId !== sub.intercomContactId;
    if (relinked || match !== sub.intercomMatch || rows.length !== sub.intercomCandidates) {
      links.push({ id: sub.id, contactId, match, candidates: rows.length, relinked });
    }
    if (!contactId) continue;
    const contact = onPage.get(contactId);
    if (contact) valueSources.push({ subscriberId: sub.id, contact });
    else if (relinked) refetch.push({ subscriberId: sub.id, contactId });
  }

  return {
    candidates,
    notCandidates,
    links,
    valueSources,
    refetch,
    withoutEmail: contacts.filter((c) => keyOf.get(c.id) === null).length,
    skippedStale: unique.length - contacts.length,
  };
}

/** Every contact, subscriber and email a page's read looked at, and so everything its write may change. */
export interface PageFootprint {
  contactIds: Set<string>;
  subscriberIds: Set<string>;
  emailKeys: Set<string>;
}

export function pageFootprint(unique: IntercomContact[], state: PageState): PageFootprint {
  const contactIds = new Set<string>();
  const subscriberIds = new Set<string>();
  const emailKeys = new Set<string>();
  for (const c of unique) {
    contactIds.add(c.id);
    const key = emailKey(c.email);
    if (key !== null) emailKeys.add(key);
  }
  for (const k of state.known) {
    contactIds.add(k.contactId);
    emailKeys.add(k.emailKey);
  }
  for (const s of state.affected) {
    subscriberIds.add(s.id);
    emailKeys.add(s.emailKey);
    if (s.intercomContactId) contactIds.add(s.intercomContactId);
  }
  for (const r of state.stored) {
    contactIds.add(r.contactId);
    emailKeys.add(r.emailKey);
  }
  return { contactIds, subscriberIds, emailKeys };
}

/**
 * Whether one page's write can change what another page's read returns. A write only touches the
 * candidates, subscribers and emails in its own footprint (see planContactPage), and a read only
 * looks at the rows in its footprint, so disjoint footprints mean the read is the same before and
 * after the write.
 */
export function footprintsOverlap(a: PageFootprint, b: PageFootprint): boolean {
  const meets = (x: Set<string>, y: Set<string>) => {
    const [small, large] = x.size <= y.size ? [x, y] : [y, x];
    for (const v of small) if (large.has(v)) return true;
    return false;
  };
  return meets(a.contactIds, b.contactIds) || meets(a.subscriberIds, b.subscriberIds) || meets(a.emailKeys, b.emailKeys);
}

export interface ValueRow {
  subscriber_id: string;
  property_id: string;
  value: string | number | boolean | null;
  source_contact_id: string;
  source_attribute: string;
  source_updated_at: number;
}

export interface ValueError {
  subscriber_id: string;
  contact_id: string;
  property_id: string;
  message: string;
}

/** Each mapped attribute of each source contact, coerced to its property's type or an error. */
export function propertyValueRows(
  mappings: SyncMapping[],
  sources: Array<{ subscriberId: string; contact: IntercomContact }>,
): { values: ValueRow[]; errors: ValueError[] } {
  const values: ValueRow[] = [];
  const errors: ValueError[] = [];
  for (const { subscriberId, contact } of sources) {
    for (const m of mappings) {
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
        errors.push({ subscriber_id: subscriberId, contact_id: contact.id, property_id: m.propertyId, message: `${m.intercomLabel}: ${coerced.reason}` });
      }
    }
  }
  return { values, errors };
}
