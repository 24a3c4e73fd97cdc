import { sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { executeRows, jsonRows, textArrayLiteral } from "@/db/bulk-sql";
import type { IntercomContact } from "@/lib/intercom/schemas";
import { emailKey } from "@/lib/matching/email";
import {
  latestById,
  planContactPage,
  propertyValueRows,
  type CandidateRow,
  type LinkChange,
  type PagePlan,
  type PageState,
  type SyncContext,
  type ValueError,
  type ValueRow,
} from "./plan-contact-page";

export interface PageOutcome {
  /** Subscribers now linked to a contact of this page. */
  linkedSubscriberIds: string[];
  valuesUpdated: number;
  errors: number;
  withoutEmail: number;
  /** Subscribers whose chosen contact changed to one stored from an earlier page or run. */
  refetch: PagePlan["refetch"];
  /** Contacts older than the version already stored (a late webhook, a page read before a newer one). */
  skippedStale: number;
  /** Whether the checkpoint given went in with the page (false: the lease is lost); null = not written, save it yourself. */
  checkpointSaved: boolean | null;
}

/** A page and what the database held about it, read before anything of it is written. */
export interface PageRead {
  unique: IntercomContact[];
  state: PageState;
}

export async function readContactPage(db: Db, accountId: string, page: IntercomContact[]): Promise<PageRead> {
  const unique = latestById(page);
  const state = unique.length === 0 ? { known: [], affected: [], stored: [] } : await readPageState(db, accountId, unique);
  return { unique, state };
}

/**
 * Applies one search page in two statements: one read of everything the page touches (or `read`,
 * done beforehand), and one write of every change it makes (candidates, links, values, errors and
 * `checkpoint`), which is atomic on its own. A page costs two round trips and one commit however
 * many rows it carries.
 */
export async function applyContactPage(
  db: Db,
  ctx: SyncContext,
  page: IntercomContact[],
  opts: { read?: PageRead; checkpoint?: SQL } = {},
): Promise<PageOutcome> {
  const { unique, state } = opts.read ?? (await readContactPage(db, ctx.accountId, page));
  const plan = planContactPage(unique, state);
  const { values, errors } = propertyValueRows(ctx.mappings, plan.valueSources);
  // Refetched contacts are written after this statement, and the checkpoint has to follow them.
  const checkpoint = plan.refetch.length === 0 ? opts.checkpoint : undefined;
  const written = await writePage(db, ctx, { ...plan, values, errors }, checkpoint);
  return {
    linkedSubscriberIds: plan.valueSources.map((s) => s.subscriberId),
    valuesUpdated: written.updated,
    errors: errors.length,
    withoutEmail: plan.withoutEmail,
    refetch: plan.refetch,
    skippedStale: plan.skippedStale,
    checkpointSaved: written.saved,
  };
}

/**
 * The page's stored contacts, the subscribers it may concern (by the page's emails, the stored
 * contacts' previous emails, or a link to one of its contacts) and all their candidates, as one
 * JSON row. Each lookup is its own index probe: an OR of two `= any(...)` lists is planned as a
 * scan of the whole account once the lists are page-sized.
 */
async function readPageState(db: Db, accountId: string, contacts: IntercomContact[]): Promise<PageState> {
  const ids = textArrayLiteral(contacts.map((c) => c.id));
  const keys = textArrayLiteral([...new Set(contacts.map((c) => emailKey(c.email)).filter((k): k is string => k !== null))]);
  const [row] = await executeRows<{ state: PageState }>(
    db,
    sql`
      with known as (
        select contact_id, email_key, contact_updated_at
        from intercom_contacts
        where account_id = ${accountId}::uuid and contact_id = any(${ids}::text[])
      ),
      affected as (
        select id, email_key, external_id, intercom_contact_id, intercom_match, intercom_candidates
        from subscribers
        where account_id = ${accountId}::uuid and email_key = any(${keys}::text[] || array(select email_key from known))
        union
        select id, email_key, external_id, intercom_contact_id, intercom_match, intercom_candidates
        from subscribers
        where account_id = ${accountId}::uuid and intercom_contact_id = any(${ids}::text[])
      ),
      stored as (
        select contact_id, email_key, role, external_id, contact_updated_at
        from intercom_contacts
        where account_id = ${accountId}::uuid and email_key = any(array(select email_key from affected))
      )
      select json_build_object(
        'known', coalesce((select json_agg(json_build_object(
          'contactId', contact_id, 'emailKey', email_key, 'updatedAt', contact_updated_at)) from known), '[]'),
        'affected', coalesce((select json_agg(json_build_object(
          'id', id, 'emailKey', email_key, 'externalId', external_id, 'intercomContactId', intercom_contact_id,
          'intercomMatch', intercom_match, 'intercomCandidates', intercom_candidates)) from affected), '[]'),
        'stored', coalesce((select json_agg(json_build_object(
          'contactId', contact_id, 'emailKey', email_key, 'role', role, 'externalId', external_id,
          'updatedAt', contact_updated_at)) from stored), '[]')
      ) as state`,
    { prepare: true },
  );
  if (!row) throw new Error("reading the page state returned no row");
  return typeof row.state === "string" ? (JSON.parse(row.state) as PageState) : row.state;
}

interface PageWrites {
  candidates: CandidateRow[];
  notCandidates: PagePlan["notCandidates"];
  links: LinkChange[];
  values: ValueRow[];
  errors: ValueError[];
}

/** Every change of a page in one statement: how many values really changed, and whether `checkpoint` was saved. */
async function writePage(db: Db | Tx, ctx: SyncContext, w: PageWrites, checkpoint?: SQL): Promise<{ updated: number; saved: boolean | null }> {
  const nothing = w.candidates.length + w.notCandidates.length + w.links.length + w.values.length + w.errors.length === 0;
  if (nothing) return { updated: 0, saved: checkpoint ? (await executeRows(db, checkpoint, { prepare: true })).length > 0 : null };
  const candidates = w.candidates.map((c) => ({
    contact_id: c.contactId,
    email_key: c.emailKey,
    role: c.role,
    external_id: c.externalId,
    contact_updated_at: c.updatedAt,
  }));
  // Webhooks have no run: their coercion errors are counted, and the next run records them.
  const errors = ctx.runId ? w.errors : [];
  const [row] = await executeRows<{ updated: number; saved: number | null }>(
    db,
    sql`
      with removed as (
        delete from intercom_contacts c
        using jsonb_to_recordset(${jsonRows(w.notCandidates)}::jsonb) as v("contactId" text, "updatedAt" bigint)
        where c.account_id = ${ctx.accountId}::uuid and c.contact_id = v."contactId" and c.contact_updated_at <= v."updatedAt"
      ),
      candidates as (
        insert into intercom_contacts (account_id, contact_id, email_key, role, external_id, contact_updated_at)
        select ${ctx.accountId}::uuid, v.contact_id, v.email_key, v.role, v.external_id, v.contact_updated_at
        from jsonb_to_recordset(${jsonRows(candidates)}::jsonb)
          as v(contact_id text, email_key text, role text, external_id text, contact_updated_at bigint)
        on conflict (account_id, contact_id) do update set
          email_key = excluded.email_key,
          role = excluded.role,
          external_id = excluded.external_id,
          contact_updated_at = excluded.contact_updated_at,
          seen_at = now()
        -- A page read before a webhook stored a newer version must not put the older one back.
        where intercom_contacts.contact_updated_at <= excluded.contact_updated_at
      ),
      links as (${linkUpdate(ctx.accountId, w.links)}),
      written as (${valueUpsert(ctx.accountId, w.values)}),
      errors as (
        insert into sync_errors (account_id, run_id, subscriber_id, contact_id, property_id, message)
        select ${ctx.accountId}::uuid, ${ctx.runId}::uuid, v.subscriber_id, v.contact_id, v.property_id, v.message
        from jsonb_to_recordset(${jsonRows(errors)}::jsonb) as v(subscriber_id uuid, contact_id text, property_id uuid, message text)
      )${checkpoint ? sql`,
      checkpoint as (${checkpoint})` : sql``}
      select (select count(*) from written)::int as updated, ${checkpoint ? sql`(select count(*) from checkpoint)::int` : sql`null::int`} as saved`,
    { prepare: true },
  );
  return { updated: Number(row?.updated ?? 0), saved: checkpoint ? Number(row?.saved ?? 0) > 0 : null };
}

/** All of a page's link changes in one UPDATE (a first sync links thousands of subscribers). */
function linkUpdate(accountId: string, links: LinkChange[]) {
  const rows = links.map((l) => ({ id: l.id, contact_id: l.contactId, match: l.match, candidates: l.candidates, relinked: l.relinked }));
  return sql`
    update subscribers set
      intercom_contact_id = v.contact_id,
      intercom_match = v.match::subscriber_match,
      intercom_candidates = v.candidates,
      -- Only a new contact restarts the link's age; a changed candidate count does not.
      intercom_linked_at = case when not v.relinked then subscribers.intercom_linked_at when v.contact_id is null then null else now() end,
      updated_at = now()
    from jsonb_to_recordset(${jsonRows(rows)}::jsonb) as v(id uuid, contact_id text, match text, candidates integer, relinked boolean)
    where subscribers.account_id = ${accountId}::uuid and subscribers.id = v.id`;
}

export async function updateLinks(tx: Tx, accountId: string, links: LinkChange[]) {
  if (links.length > 0) await tx.execute(linkUpdate(accountId, links));
}

/**
 * One multi-row upsert. Rows whose value and source are unchanged are left alone, so a run over
 * unchanged data writes (and counts) nothing; the stored value of a row that failed coercion stays.
 */
function valueUpsert(accountId: string, values: ValueRow[]) {
  return sql`
    insert into subscriber_property_values
      (account_id, subscriber_id, property_id, value, source_contact_id, source_attribute, source_updated_at)
    select ${accountId}::uuid, v.subscriber_id, v.property_id, v.value, v.source_contact_id, v.source_attribute, v.source_updated_at
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
    returning 1`;
}

/** Values for subscribers whose contact had to be fetched on its own (see PageOutcome.refetch). */
export async function applyFetchedContacts(
  db: Db,
  ctx: SyncContext,
  sources: Array<{ subscriberId: string; contact: IntercomContact }>,
) {
  if (sources.length === 0) return { updated: 0, errors: 0 };
  const { values, errors } = propertyValueRows(ctx.mappings, sources);
  const { updated } = await writePage(db, ctx, { candidates: [], notCandidates: [], links: [], values, errors });
  return { updated, errors: errors.length };
}
