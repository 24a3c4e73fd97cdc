import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SHARED_LEAD_USER_EMAIL,
  seededContactEmail,
  type ContactObject,
  type RunningEmulator,
} from "@/emulators/intercom/server";
import { startOfNextDay } from "@/emulators/intercom/day-boundaries";
import { alerts, intercomConnections, subscriberPropertyValues, subscribers, syncErrors, syncRuns, syncState } from "@/db/schema";
import { createIntercomClient } from "@/lib/intercom/client";
import { emailKey } from "@/lib/matching/email";
import { savePropertyMappings, type PropertyMapping } from "@/lib/mappings/property-mappings";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { searchBoundBefore } from "@/lib/sync/search-bound";
import { getSyncOverview } from "@/lib/sync/sync-history";
import { acquireSyncLease, releaseSyncLease } from "@/lib/sync/sync-state";
import { SAFETY_LAG_SECONDS } from "@/lib/sync/watermark";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// Seeded contact numbers (see emulators/intercom/seed-rules.ts) given to subscribers: plain users
// and leads, the mixed-case address (#7 is "User7@Example.COM"), #57 entered with spaces and
// capitals, #15 (a lead merged into #14, so gone from search) and the lead+user shared address.
const SEEDED = [2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 30, 40, 57, 99, 120, 251, 333, 512, 777, 998];

const MAPPED = [
  { intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } },
  { intercomAttribute: "custom_attributes.seats", newProperty: { name: "Seats" } },
  { intercomAttribute: "custom_attributes.lifetime_value", newProperty: { name: "Lifetime value" } },
  { intercomAttribute: "custom_attributes.is_vip", newProperty: { name: "VIP" } },
  { intercomAttribute: "custom_attributes.renewal_date", newProperty: { name: "Renewal date" } },
  { intercomAttribute: "custom_attributes.account_tier", newProperty: { name: "Tier" } },
  { intercomAttribute: "location.city", newProperty: { name: "City" } },
  { intercomAttribute: "signed_up_at", newProperty: { name: "Signed up" } },
];

function rawAttribute(contact: ContactObject, fullName: string): unknown {
  if (fullName.startsWith("custom_attributes.")) return contact.custom_attributes[fullName.slice(18)] ?? null;
  if (fullName === "location.city") return contact.location.city;
  return (contact as unknown as Record<string, unknown>)[fullName] ?? null;
}

describe("inbound sync: Intercom contacts -> subscribers", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;
  let mappings: PropertyMapping[];
  const subscriberByEmail = new Map<string, string>();

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 1000 });
    useEmulatorHosts(emu);
    const { account } = await createTestAccount("Sync");
    accountId = account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const saved = await savePropertyMappings(accountId, MAPPED);
    if (!saved.ok) throw new Error(`mappings not saved: ${JSON.stringify(saved)}`);
    mappings = saved.mappings;

    const emails = [
      ...SEEDED.map((n) => (n === 57 ? "  USER57@example.com " : seededContactEmail(n)!)),
      SHARED_LEAD_USER_EMAIL,
      "nobody-in-intercom@example.com",
    ];
    const rows = await db()
      .insert(subscribers)
      .values(emails.map((email) => ({ accountId, email: email.trim(), emailKey: emailKey(email)!, externalId: null })))
      .returning();
    for (const r of rows) subscriberByEmail.set(r.emailKey, r.id);
  });

  afterAll(async () => {
    // Postgres is shared by test files: leave no live connection for another file's cron run.
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
    await emu.close();
  });

  const activeContactsFor = (email: string) =>
    emu.store.findContactsByEmail(email).filter((s) => s.state === "active").map((s) => s.contact);

  async function valuesOf(subscriberId: string) {
    const rows = await db().select().from(subscriberPropertyValues).where(eq(subscriberPropertyValues.subscriberId, subscriberId));
    return new Map(rows.map((r) => [r.propertyId, r]));
  }

  async function stateRow() {
    const [row] = await db().select().from(syncState).where(eq(syncState.connectionId, connectionId));
    return row!;
  }

  it("a full sync links subscribers by normalised email and stores every mapped value exactly", async () => {
    const logStart = emu.requests.length;
    const started = performance.now();
    const outcome = await runIntercomSync({ accountId, trigger: "manual" });
    const wallMs = Math.round(performance.now() - started);
    console.log(`[sync] full sync of ${emu.store.activeContacts().length} emulator contacts took ${wallMs} ms (${JSON.stringify(outcome)})`);

    expect(outcome).toMatchObject({ status: "succeeded", mode: "full" });
    if (outcome.status !== "succeeded") return;
    expect(outcome.counts.contactsRead).toBe(emu.store.activeContacts().length);
    expect(outcome.counts.contactsWithoutEmail).toBe(emu.store.activeContacts().filter((c) => !c.contact.email).length);
    expect(outcome.counts.errorCount).toBe(0);
    // One search page per 150 contacts, nothing else; every page repeats the whole request and
    // only pages after the first carry a cursor (traps C04).
    expect(outcome.counts.apiCalls).toBe(Math.ceil(outcome.counts.contactsRead / 150));
    const searches = emu.requests.slice(logStart).map((r) => r.body as Record<string, any>);
    expect(searches).toHaveLength(outcome.counts.apiCalls);
    searches.forEach((body, i) => {
      expect(body.query).toEqual({ field: "updated_at", operator: ">", value: 0 });
      expect(body.sort).toEqual({ field: "updated_at", order: "ascending" });
      expect(body.pagination.per_page).toBe(150);
      if (i === 0) expect(body.pagination).not.toHaveProperty("starting_after");
      else expect(body.pagination.starting_after).toEqual(expect.any(String));
    });

    let linked = 0;
    for (const [key, subscriberId] of subscriberByEmail) {
      const [sub] = await db().select().from(subscribers).where(eq(subscribers.id, subscriberId));
      const contacts = activeContactsFor(key);
      const values = await valuesOf(subscriberId);
      if (contacts.length === 0) {
        expect(sub, key).toMatchObject({ intercomContactId: null, intercomMatch: "none", intercomCandidates: 0 });
        expect(values.size, key).toBe(0);
        continue;
      }
      linked++;
      const expected = contacts.find((c) => c.role === "user") ?? contacts[0]!;
      expect(sub, key).toMatchObject({
        intercomContactId: expected.id,
        intercomMatch: contacts.length > 1 ? "ambiguous" : "matched",
        intercomCandidates: contacts.length,
      });
      expect(sub!.intercomLinkedAt).toBeInstanceOf(Date);
      for (const m of mappings) {
        const row = values.get(m.property.id);
        expect(row?.value, `${key} ${m.intercomAttribute}`).toEqual(rawAttribute(expected, m.intercomAttribute));
        expect(row).toMatchObject({ sourceContactId: expected.id, sourceAttribute: m.intercomAttribute, sourceUpdatedAt: expected.updated_at });
      }
    }
    expect(outcome.counts.contactsMatched).toBe(linked);

    // The shared address belongs to user #1 and lead #5: the user wins, and the tie is flagged.
    const shared = activeContactsFor(SHARED_LEAD_USER_EMAIL);
    expect(shared.map((c) => c.role).sort()).toEqual(["lead", "user"]);
    const [sharedSub] = await db().select().from(subscribers).where(eq(subscribers.id, subscriberByEmail.get(SHARED_LEAD_USER_EMAIL)!));
    expect(sharedSub).toMatchObject({ intercomMatch: "ambiguous", intercomCandidates: 2, intercomContactId: shared.find((c) => c.role === "user")!.id });

    // Mixed case in Intercom, spaces and capitals on our side: both still match.
    expect((await db().select().from(subscribers).where(eq(subscribers.id, subscriberByEmail.get("user7@example.com")!)))[0]?.intercomMatch).toBe("matched");
    expect((await db().select().from(subscribers).where(eq(subscribers.id, subscriberByEmail.get("user57@example.com")!)))[0]?.intercomMatch).toBe("matched");

    // Dates are stored as Unix seconds, not milliseconds.
    const renewal = mappings.find((m) => m.intercomAttribute === "custom_attributes.renewal_date")!;
    const dated = (await db().select().from(subscriberPropertyValues).where(eq(subscriberPropertyValues.propertyId, renewal.property.id)))
      .map((r) => r.value)
      .filter((v): v is number => typeof v === "number");
    expect(dated.length).toBeGreaterThan(5);
    for (const v of dated) expect(Number.isInteger(v) && v > 1_600_000_000 && v < 4_102_444_800).toBe(true);

    const state = await stateRow();
    const newest = Math.max(...emu.store.activeContacts().map((c) => c.contact.updated_at));
    expect(state).toMatchObject({ fullSyncRequested: false, leaseOwner: null, watermark: Math.min(newest, Math.floor(Date.now() / 1000) - SAFETY_LAG_SECONDS) });
  });

  it("never touches another account's subscriber with the same email", async () => {
    const other = (await createTestAccount("Bystander")).account.id;
    const [theirs] = await db()
      .insert(subscribers)
      .values({ accountId: other, email: "user2@example.com", emailKey: "user2@example.com" })
      .returning();
    await runIntercomSync({ accountId, trigger: "manual", mode: "full" });
    const [after] = await db().select().from(subscribers).where(eq(subscribers.id, theirs!.id));
    expect(after).toMatchObject({ intercomContactId: null, intercomMatch: "none" });
    expect((await valuesOf(theirs!.id)).size).toBe(0);
    expect(await getSyncOverview(other)).toMatchObject({ connection: null, state: null, runs: [], errors: [] });
    expect((await getSyncOverview(accountId)).runs.length).toBeGreaterThan(0);
  });

  it("a run over unchanged data updates nothing", async () => {
    const before = await db().select().from(subscribers).where(eq(subscribers.accountId, accountId));
    const full = await runIntercomSync({ accountId, trigger: "manual", mode: "full" });
    expect(full).toMatchObject({ status: "succeeded", mode: "full", counts: { valuesUpdated: 0, errorCount: 0 } });
    const incremental = await runIntercomSync({ accountId, trigger: "cron" });
    expect(incremental).toMatchObject({ status: "succeeded", mode: "incremental", counts: { valuesUpdated: 0 } });
    const after = await db().select().from(subscribers).where(eq(subscribers.accountId, accountId));
    expect(after.map((s) => [s.id, s.intercomContactId, s.intercomLinkedAt?.getTime()]).sort()).toEqual(
      before.map((s) => [s.id, s.intercomContactId, s.intercomLinkedAt?.getTime()]).sort(),
    );
  });

  it("picks up a contact updated later on the same day as the watermark (traps C01)", async () => {
    const { watermark } = await stateRow();
    const tz = emu.workspace.timezone;
    // Later the same calendar day in the workspace timezone, after the watermark.
    const updatedAt = Math.min(watermark! + 3600, startOfNextDay(watermark!, tz) - 1);
    expect(updatedAt).toBeGreaterThan(watermark!);
    const target = activeContactsFor(seededContactEmail(3)!)[0]!;
    emu.store.updateContact(target.id, { custom_attributes: { plan_name: "Enterprise Plus", seats: 999 }, updated_at: updatedAt });

    // The trap is real in this emulator: asking for "> watermark" does not return the contact.
    const client = createIntercomClient({ token: emu.issueToken() });
    const naive = await client.searchContacts({ query: { field: "updated_at", operator: ">", value: watermark! }, pagination: { per_page: 150 } });
    expect(naive.data.map((c) => c.id)).not.toContain(target.id);

    const logStart = emu.requests.length;
    const outcome = await runIntercomSync({ accountId, trigger: "cron" });
    expect(outcome).toMatchObject({ status: "succeeded", mode: "incremental", counts: { valuesUpdated: 2, errorCount: 0 } });
    const [search] = emu.requests.slice(logStart).map((r) => r.body as Record<string, any>);
    expect(search?.query).toEqual({ field: "updated_at", operator: ">", value: searchBoundBefore(watermark! - SAFETY_LAG_SECONDS, tz) });
    const values = await valuesOf(subscriberByEmail.get("user3@example.com")!);
    const plan = mappings.find((m) => m.intercomAttribute === "custom_attributes.plan_name")!;
    const seats = mappings.find((m) => m.intercomAttribute === "custom_attributes.seats")!;
    expect(values.get(plan.property.id)?.value).toBe("Enterprise Plus");
    expect(values.get(seats.property.id)?.value).toBe(999);
    expect(values.get(seats.property.id)?.sourceUpdatedAt).toBe(updatedAt);
  });

  it("records a value that does not fit its property as a sync error and carries on", async () => {
    const target = activeContactsFor(seededContactEmail(4)!)[0]!;
    emu.store.updateContact(target.id, { custom_attributes: { seats: "lots", plan_name: "Scale" } });
    const subscriberId = subscriberByEmail.get("user4@example.com")!;
    const seats = mappings.find((m) => m.intercomAttribute === "custom_attributes.seats")!;
    const plan = mappings.find((m) => m.intercomAttribute === "custom_attributes.plan_name")!;
    const seatsBefore = (await valuesOf(subscriberId)).get(seats.property.id)?.value;

    const outcome = await runIntercomSync({ accountId, trigger: "cron" });
    expect(outcome).toMatchObject({ status: "succeeded", counts: { errorCount: 1 } });
    if (outcome.status !== "succeeded") return;
    const errors = await db().select().from(syncErrors).where(eq(syncErrors.runId, outcome.runId));
    expect(errors).toEqual([
      expect.objectContaining({ subscriberId, contactId: target.id, propertyId: seats.property.id, message: expect.stringContaining('"lots" is not a number') }),
    ]);
    const values = await valuesOf(subscriberId);
    expect(values.get(plan.property.id)?.value).toBe("Scale");
    expect(values.get(seats.property.id)?.value).toBe(seatsBefore);
    const [run] = await db().select().from(syncRuns).where(eq(syncRuns.id, outcome.runId));
    expect(run).toMatchObject({ status: "succeeded", errorCount: 1 });
    // What the Sync tab lists: the subscriber's email, the property and the reason.
    expect((await getSyncOverview(accountId)).errors[0]).toMatchObject({
      subscriber: { id: subscriberId, email: "user4@example.com" },
      propertyName: "Seats",
      message: 'Seats: Intercom value "lots" is not a number',
    });
  });

  it("an overlapping run exits with 'already running' and leaves the lease to the first", async () => {
    const [a, b] = await Promise.all([
      runIntercomSync({ accountId, trigger: "cron" }),
      runIntercomSync({ accountId, trigger: "manual" }),
    ]);
    expect([a.status, b.status].sort()).toEqual(["already_running", "succeeded"]);

    const conn = { id: connectionId, accountId };
    const lease = await acquireSyncLease(db(), conn);
    expect(lease).not.toBeNull();
    expect(await runIntercomSync({ accountId, trigger: "manual" })).toMatchObject({ status: "already_running" });
    await releaseSyncLease(db(), connectionId, lease!.owner);
    expect(await runIntercomSync({ accountId, trigger: "manual" })).toMatchObject({ status: "succeeded" });
  });

  it("takes over a lease left behind by a run that died", async () => {
    await db()
      .update(syncState)
      .set({ leaseOwner: "dead-run", leaseExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(syncState.connectionId, connectionId));
    const [stale] = await db()
      .insert(syncRuns)
      .values({ accountId, connectionId, trigger: "cron", mode: "incremental" })
      .returning();
    expect(await runIntercomSync({ accountId, trigger: "cron" })).toMatchObject({ status: "succeeded" });
    const [after] = await db().select().from(syncRuns).where(eq(syncRuns.id, stale!.id));
    expect(after).toMatchObject({ status: "failed", errorMessage: expect.stringContaining("Interrupted") });
  });

  it("retries a transient Intercom error and fails cleanly (watermark kept) when errors persist", async () => {
    emu.faults.inject({ status: 503, count: 1, match: { pathPrefix: "/contacts/search" } });
    const retried = await runIntercomSync({ accountId, trigger: "cron", mode: "full" });
    expect(retried).toMatchObject({ status: "succeeded" });
    if (retried.status === "succeeded") expect(retried.counts.apiCalls).toBe(Math.ceil(retried.counts.contactsRead / 150) + 1);

    const before = await stateRow();
    // Gateway errors on every attempt: the client retries 3 times, then the run gives up.
    const calls = emu.requests.length;
    await db().update(syncState).set({ fullSyncRequested: true }).where(eq(syncState.connectionId, connectionId));
    emu.faults.inject({ status: 502, count: 4, match: { pathPrefix: "/contacts/search" } });
    const failed = await runIntercomSync({ accountId, trigger: "cron" });
    expect(failed).toMatchObject({ status: "failed", message: expect.stringContaining("Intercom failed after retries") });
    expect(emu.requests.length - calls).toBe(4);
    const after = await stateRow();
    expect(after).toMatchObject({ watermark: before.watermark, fullSyncRequested: true, leaseOwner: null });
  });

  it("relinks a subscriber when Intercom's contacts for its email change", async () => {
    const subscriberId = subscriberByEmail.get("user8@example.com")!;
    const user = activeContactsFor("user8@example.com")[0]!;
    const plan = mappings.find((m) => m.intercomAttribute === "custom_attributes.plan_name")!;
    // A lead with the same address, last touched days ago: only a full run sees it.
    const lead = emu.store.createContact({
      role: "lead",
      email: "User8@example.com",
      custom_attributes: { plan_name: "Lead plan" },
      created_at: Math.floor(Date.now() / 1000) - 3 * 86_400,
    });
    await runIntercomSync({ accountId, trigger: "manual", mode: "full" });
    const [both] = await db().select().from(subscribers).where(eq(subscribers.id, subscriberId));
    expect(both).toMatchObject({ intercomContactId: user.id, intercomMatch: "ambiguous", intercomCandidates: 2 });

    // The user moves to another address: the lead, read on its own, now fills the properties.
    emu.store.updateContact(user.id, { email: "moved8@example.com" });
    const outcome = await runIntercomSync({ accountId, trigger: "cron" });
    expect(outcome).toMatchObject({ status: "succeeded", mode: "incremental" });
    const [after] = await db().select().from(subscribers).where(eq(subscribers.id, subscriberId));
    expect(after).toMatchObject({ intercomContactId: lead.id, intercomMatch: "matched", intercomCandidates: 1 });
    expect((await valuesOf(subscriberId)).get(plan.property.id)).toMatchObject({ value: "Lead plan", sourceContactId: lead.id });
    expect(emu.requests.some((r) => r.method === "GET" && r.path === `/contacts/${lead.id}`)).toBe(true);
  });

  it("stops at the page cap with a checkpoint, and the next run carries on from it", async () => {
    // As on a first sync of a big workspace: no watermark yet.
    await db().update(syncState).set({ watermark: null, fullSyncRequested: true }).where(eq(syncState.connectionId, connectionId));
    const capped = await runIntercomSync({ accountId, trigger: "cron", maxPages: 2 });
    expect(capped).toMatchObject({ status: "partial", mode: "full", strategy: "scan", counts: { contactsRead: 300, pagesRead: 2 }, message: expect.stringContaining("Stopped after 2 pages") });
    const updatedAts = emu.store.activeContacts().map((c) => c.contact.updated_at).sort((a, b) => a - b);
    // The watermark moves only once a window is complete; the checkpoint holds the place.
    const paused = await stateRow();
    expect(paused).toMatchObject({ watermark: null, fullSyncRequested: false, leaseOwner: null, activeRunId: null });
    expect(paused.checkpoint).toMatchObject({ kind: "window", mode: "full", strategy: "scan", cursor: expect.any(String), read: 300, maxSeen: updatedAts[299] });

    const logStart = emu.requests.length;
    const next = await runIntercomSync({ accountId, trigger: "cron" });
    expect(next).toMatchObject({ status: "succeeded", mode: "full", counts: { contactsRead: updatedAts.length - 300 } });
    const first = emu.requests[logStart]!.body as Record<string, any>;
    expect(first.pagination.starting_after).toBe((paused.checkpoint as { cursor: string }).cursor);
    const newest = updatedAts[updatedAts.length - 1]!;
    const done = await stateRow();
    expect(done.watermark).toBe(Math.min(newest, Math.floor(Date.now() / 1000) - SAFETY_LAG_SECONDS));
    expect(done.checkpoint).toBeNull();
  });

  it("a 401 from Intercom marks the connection reconnect_required and fails the run", async () => {
    const before = await stateRow();
    emu.revokeAll();
    const outcome = await runIntercomSync({ accountId, trigger: "cron" });
    expect(outcome).toMatchObject({ status: "failed", message: expect.stringContaining("Reconnect Intercom") });
    const [conn] = await db().select().from(intercomConnections).where(and(eq(intercomConnections.id, connectionId)));
    expect(conn).toMatchObject({ status: "reconnect_required" });
    // Admins are told, with a way to fix it.
    expect(await db().select().from(alerts).where(eq(alerts.accountId, accountId))).toEqual([
      expect.objectContaining({ kind: "connection_revoked", resolvedAt: null, fixUrl: expect.any(String) }),
    ]);
    expect((await stateRow()).watermark).toBe(before.watermark);
    expect(await runIntercomSync({ accountId, trigger: "cron" })).toMatchObject({ status: "not_connected" });
  });
});
