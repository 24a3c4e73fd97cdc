import { and, asc, eq, inArray, lt, or, type SQL } from "drizzle-orm";
import { getDb, type Db, type Tx } from "@/db/client";
import { intercomContacts, subscriberPropertyValues, subscribers } from "@/db/schema";
import { clientForConnection, getLiveConnection } from "@/lib/connections/intercom-connection";
import type { IntercomClient } from "@/lib/intercom/client";
import { IntercomError } from "@/lib/intercom/errors";
import type { IntercomContact } from "@/lib/intercom/schemas";
import { pickContact } from "@/lib/matching/email";
import { applyContactPage, applyFetchedContacts, updateLinks, type PageRead } from "./apply-contact-page";
import type { LinkChange, SyncContext } from "./plan-contact-page";
import { LOOKUP_BATCH } from "./contact-lookup-batch";
import { inFilter, PER_PAGE, searchContactPages } from "./search-pages";
import { loadSyncMappings } from "./sync-mappings";

// Merge chains Intercom follows for us through the Link header.
const MAX_MERGE_HOPS = 3;

export interface ApplyContactsMeta {
  /** Sync errors are recorded against this run; without one they are counted only. */
  runId?: string | null;
  /** Reads contacts chosen from earlier pages; defaults to the account's live connection. */
  client?: IntercomClient;
}

export interface ApplyContactsResult {
  contacts: number;
  subscribersLinked: number;
  valuesUpdated: number;
  errors: number;
  /** Versions older than the one already stored (late or replayed), ignored. */
  skippedStale: number;
}

export type UnlinkReason = "deleted" | "archived" | "not_found";

export interface VanishOutcome {
  /** Subscribers that were linked to, or had as a candidate, the vanished contact. */
  subscribersAffected: number;
  /** Of those, linked to another contact afterwards. */
  subscribersRelinked: number;
  /** Of those, left without any contact (their synced values are marked stale). */
  subscribersUnlinked: number;
}

/**
 * Contacts from anywhere (a webhook, a lookup, a GET) through the same matching and upsert path
 * as a sync page: idempotent, and a version older than the stored one changes nothing.
 */
export async function applyContacts(
  accountId: string,
  contacts: IntercomContact[],
  meta: ApplyContactsMeta = {},
): Promise<ApplyContactsResult> {
  const db = await getDb();
  const ctx: SyncContext = { accountId, runId: meta.runId ?? null, mappings: await loadSyncMappings(db, accountId) };
  const lazy = lazyClient(accountId, meta.client);
  const total: ApplyContactsResult = { contacts: 0, subscribersLinked: 0, valuesUpdated: 0, errors: 0, skippedStale: 0 };
  for (let i = 0; i < contacts.length; i += PER_PAGE) {
    const r = await applyChunk(db, ctx, contacts.slice(i, i + PER_PAGE), lazy);
    total.contacts += r.contacts;
    total.subscribersLinked += r.subscribersLinked;
    total.valuesUpdated += r.valuesUpdated;
    total.errors += r.errors;
    total.skippedStale += r.skippedStale;
  }
  return total;
}

export interface ChunkResult extends ApplyContactsResult {
  /** See PageOutcome.checkpointSaved. */
  checkpointSaved: boolean | null;
  /** Whether contacts had to be fetched on their own (which writes outside the page's statement). */
  refetched: boolean;
}

/** One page of contacts, plus the contacts that page made the chosen one without carrying them. */
export async function applyChunk(
  db: Db,
  ctx: SyncContext,
  contacts: IntercomContact[],
  client: () => Promise<IntercomClient | null>,
  opts: { read?: PageRead; checkpoint?: SQL } = {},
): Promise<ChunkResult> {
  const outcome = await applyContactPage(db, ctx, contacts, opts);
  let valuesUpdated = outcome.valuesUpdated;
  let errors = outcome.errors;
  let linked = outcome.linkedSubscriberIds.length;
  if (outcome.refetch.length > 0 && ctx.mappings.length > 0) {
    const c = await client();
    if (c) {
      const { found, vanished } = await readContacts(c, outcome.refetch);
      const written = await applyFetchedContacts(db, ctx, found);
      valuesUpdated += written.updated;
      errors += written.errors;
      linked += found.length;
      for (const v of vanished) await resolveVanished(ctx.accountId, v.contactId, v.canonicalId, "not_found", { client: c, runId: ctx.runId });
    }
  }
  return {
    contacts: contacts.length,
    subscribersLinked: linked,
    valuesUpdated,
    errors,
    skippedStale: outcome.skippedStale,
    checkpointSaved: outcome.checkpointSaved,
    refetched: outcome.refetch.length > 0,
  };
}

/**
 * A contact that is gone (deleted, archived, 404): it stops being anyone's candidate, its
 * subscribers are re-resolved by email (another contact may carry it), and whoever is left without
 * a contact is unlinked with their synced values marked stale.
 */
export async function unlinkContact(
  accountId: string,
  contactId: string,
  reason: UnlinkReason,
  opts: { client?: IntercomClient; runId?: string | null } = {},
): Promise<VanishOutcome> {
  return resolveVanished(accountId, contactId, undefined, reason, opts);
}

/** A merged contact (webhook contact.merged, or 410 with a Link header): relink to the survivor. */
export async function relinkMergedContact(
  accountId: string,
  fromId: string,
  toId: string,
  opts: { client?: IntercomClient; runId?: string | null } = {},
): Promise<VanishOutcome> {
  return resolveVanished(accountId, fromId, toId, "merged", opts);
}

async function resolveVanished(
  accountId: string,
  contactId: string,
  canonicalId: string | undefined,
  reason: UnlinkReason | "merged",
  opts: { client?: IntercomClient; runId?: string | null },
): Promise<VanishOutcome> {
  const db = await getDb();
  const { affected, refetch } = await db.transaction((tx) => detachContact(tx, accountId, contactId));
  if (affected.length === 0) return { subscribersAffected: 0, subscribersRelinked: 0, subscribersUnlinked: 0 };
  console.info(`[sync] account ${accountId}: contact ${contactId} ${reason}; re-resolving ${affected.length} subscriber(s)`);

  const client = await lazyClient(accountId, opts.client)();
  if (client) {
    const ctx: SyncContext = { accountId, runId: opts.runId ?? null, mappings: await loadSyncMappings(db, accountId) };
    const lazy = async () => client;
    if (refetch.length > 0 && ctx.mappings.length > 0) {
      // Relinked to another stored candidate: its values replace the stale ones.
      const { found, vanished } = await readContacts(client, refetch);
      await applyFetchedContacts(db, ctx, found);
      for (const v of vanished) await resolveVanished(accountId, v.contactId, v.canonicalId, "not_found", opts);
    }
    if (canonicalId) {
      const survivor = await readFollowingMerges(client, canonicalId);
      if (survivor) await applyChunk(db, ctx, [survivor], lazy);
    }
    // Whoever is still without a contact: the email may live on in another (or a new) contact.
    const open = await db
      .select({ emailKey: subscribers.emailKey })
      .from(subscribers)
      .where(and(eq(subscribers.accountId, accountId), inArray(subscribers.id, affected), eq(subscribers.intercomMatch, "none")));
    await lookUpEmails(db, ctx, client, open.map((s) => s.emailKey), lazy);
  }

  const after = await db
    .select({ contactId: subscribers.intercomContactId })
    .from(subscribers)
    .where(and(eq(subscribers.accountId, accountId), inArray(subscribers.id, affected)));
  const unlinked = after.filter((s) => s.contactId === null).length;
  return { subscribersAffected: affected.length, subscribersRelinked: after.length - unlinked, subscribersUnlinked: unlinked };
}

/** Searches contacts by email in batches and applies every page. */
export async function lookUpEmails(
  db: Db,
  ctx: SyncContext,
  client: IntercomClient,
  emailKeys: string[],
  lazy: () => Promise<IntercomClient | null>,
) {
  for (let i = 0; i < emailKeys.length; i += LOOKUP_BATCH) {
    for await (const page of searchContactPages(client, inFilter("email", emailKeys.slice(i, i + LOOKUP_BATCH)))) {
      await applyChunk(db, ctx, page.contacts, lazy);
    }
  }
}

/**
 * Drops a vanished contact from the candidates, re-picks the contact of every subscriber that had
 * it (from the candidates still stored) and marks values it supplied stale. Returns the affected
 * subscribers, and those now pointing at another stored contact (whose values must be read).
 */
async function detachContact(
  tx: Tx,
  accountId: string,
  contactId: string,
): Promise<{ affected: string[]; refetch: Array<{ subscriberId: string; contactId: string }> }> {
  const removed = await tx
    .delete(intercomContacts)
    .where(and(eq(intercomContacts.accountId, accountId), eq(intercomContacts.contactId, contactId)))
    .returning({ emailKey: intercomContacts.emailKey });
  const keys = removed.map((r) => r.emailKey);
  const affected = await tx
    .select({ id: subscribers.id, emailKey: subscribers.emailKey, externalId: subscribers.externalId, contactId: subscribers.intercomContactId })
    .from(subscribers)
    .where(
      and(
        eq(subscribers.accountId, accountId),
        keys.length > 0 ? or(eq(subscribers.intercomContactId, contactId), inArray(subscribers.emailKey, keys)) : eq(subscribers.intercomContactId, contactId),
      ),
    );
  if (affected.length === 0) return { affected: [], refetch: [] };
  const rows = await tx
    .select()
    .from(intercomContacts)
    .where(and(eq(intercomContacts.accountId, accountId), inArray(intercomContacts.emailKey, [...new Set(affected.map((s) => s.emailKey))])));
  const links: LinkChange[] = affected.map((sub) => {
    const mine = rows.filter((r) => r.emailKey === sub.emailKey);
    const chosen = pickContact(
      mine.map((r) => ({ contactId: r.contactId, role: r.role, externalId: r.externalId, updatedAt: r.contactUpdatedAt })),
      sub.externalId,
    );
    const next = chosen?.contactId ?? null;
    return {
      id: sub.id,
      contactId: next,
      match: mine.length === 0 ? "none" : mine.length > 1 ? "ambiguous" : "matched",
      candidates: mine.length,
      relinked: next !== sub.contactId,
    };
  });
  await updateLinks(tx, accountId, links);
  await tx
    .update(subscriberPropertyValues)
    .set({ stale: true })
    .where(
      and(
        eq(subscriberPropertyValues.accountId, accountId),
        inArray(subscriberPropertyValues.subscriberId, affected.map((s) => s.id)),
        eq(subscriberPropertyValues.sourceContactId, contactId),
      ),
    );
  return {
    affected: affected.map((s) => s.id),
    refetch: links.filter((l) => l.relinked && l.contactId).map((l) => ({ subscriberId: l.id, contactId: l.contactId! })),
  };
}

/**
 * Candidates a completed full read did not return: each is read on its own (bounded per run) and
 * is either still there (index lag; applied again), gone (unlinked) or merged (relinked).
 */
export async function verifyUnseenCandidates(
  db: Db,
  ctx: SyncContext,
  client: IntercomClient,
  since: Date,
  limit: number,
): Promise<{ checked: number; vanished: number }> {
  const unseen = await db
    .select({ contactId: intercomContacts.contactId })
    .from(intercomContacts)
    .where(and(eq(intercomContacts.accountId, ctx.accountId), lt(intercomContacts.seenAt, since)))
    .orderBy(asc(intercomContacts.seenAt))
    .limit(limit);
  let vanished = 0;
  const lazy = async () => client;
  for (const { contactId } of unseen) {
    try {
      const contact = await client.getContact(contactId);
      await applyChunk(db, ctx, [contact], lazy);
      // Seen now, even when its version was not newer than the stored one.
      await db
        .update(intercomContacts)
        .set({ seenAt: new Date() })
        .where(and(eq(intercomContacts.accountId, ctx.accountId), eq(intercomContacts.contactId, contactId)));
    } catch (err) {
      if (!(err instanceof IntercomError) || (err.kind !== "not_found" && err.kind !== "gone")) throw err;
      vanished++;
      await resolveVanished(ctx.accountId, contactId, err.details.canonicalId, err.kind === "gone" ? "merged" : "not_found", {
        client,
        runId: ctx.runId,
      });
    }
  }
  return { checked: unseen.length, vanished };
}

/** Contacts read on their own by id; 404s and 410s are returned as vanished, not thrown. */
async function readContacts(client: IntercomClient, wanted: Array<{ subscriberId: string; contactId: string }>) {
  const found: Array<{ subscriberId: string; contact: IntercomContact }> = [];
  const vanished: Array<{ contactId: string; canonicalId?: string }> = [];
  for (const w of wanted) {
    try {
      found.push({ subscriberId: w.subscriberId, contact: await client.getContact(w.contactId) });
    } catch (err) {
      if (!(err instanceof IntercomError) || (err.kind !== "not_found" && err.kind !== "gone")) throw err;
      vanished.push({ contactId: w.contactId, canonicalId: err.details.canonicalId });
    }
  }
  return { found, vanished };
}

async function readFollowingMerges(client: IntercomClient, id: string): Promise<IntercomContact | null> {
  let current = id;
  for (let hop = 0; hop <= MAX_MERGE_HOPS; hop++) {
    try {
      return await client.getContact(current);
    } catch (err) {
      if (!(err instanceof IntercomError)) throw err;
      if (err.kind === "gone" && err.details.canonicalId && err.details.canonicalId !== current) {
        current = err.details.canonicalId;
        continue;
      }
      if (err.kind === "not_found" || err.kind === "gone") return null;
      throw err;
    }
  }
  return null;
}

function lazyClient(accountId: string, given?: IntercomClient): () => Promise<IntercomClient | null> {
  let client: Promise<IntercomClient | null> | undefined = given ? Promise.resolve(given) : undefined;
  return () =>
    (client ??= getLiveConnection(accountId).then((conn) => (conn ? clientForConnection(conn, { retries: 3 }) : null)));
}

/**
 * Reads contacts by id (search `id IN`, a batch per request) and applies them; ids the search no
 * longer returns are read one by one and resolved as vanished when they are gone or merged.
 */
export async function refreshContactsById(
  db: Db,
  ctx: SyncContext,
  client: IntercomClient,
  contactIds: string[],
): Promise<ApplyContactsResult & { read: number; withoutEmail: number }> {
  const lazy = async () => client;
  const total = { contacts: 0, subscribersLinked: 0, valuesUpdated: 0, errors: 0, skippedStale: 0, read: 0, withoutEmail: 0 };
  const add = (r: ApplyContactsResult) => {
    total.contacts += r.contacts;
    total.subscribersLinked += r.subscribersLinked;
    total.valuesUpdated += r.valuesUpdated;
    total.errors += r.errors;
    total.skippedStale += r.skippedStale;
  };
  const returned = new Set<string>();
  for (let i = 0; i < contactIds.length; i += LOOKUP_BATCH) {
    for await (const page of searchContactPages(client, inFilter("id", contactIds.slice(i, i + LOOKUP_BATCH)))) {
      page.contacts.forEach((c) => returned.add(c.id));
      total.read += page.contacts.length;
      total.withoutEmail += page.contacts.filter((c) => !c.email).length;
      add(await applyChunk(db, ctx, page.contacts, lazy));
    }
  }
  for (const id of contactIds) {
    if (returned.has(id)) continue;
    // Not searchable: merged, deleted, archived, or created too recently to be indexed.
    try {
      const contact = await client.getContact(id);
      total.read++;
      add(await applyChunk(db, ctx, [contact], lazy));
    } catch (err) {
      if (!(err instanceof IntercomError) || (err.kind !== "not_found" && err.kind !== "gone")) throw err;
      await resolveVanished(ctx.accountId, id, err.details.canonicalId, err.kind === "gone" ? "merged" : "not_found", { client, runId: ctx.runId });
    }
  }
  return total;
}
