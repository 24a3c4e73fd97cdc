import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as cronGET } from "@/app/api/cron/intercom-sync/route";
import { seededContactEmail, type ContactObject, type RunningEmulator } from "@/emulators/intercom/server";
import { intercomConnections, propertyMappings, subscriberPropertyValues, subscribers, syncRuns, syncState } from "@/db/schema";
import { emailKey } from "@/lib/matching/email";
import { savePropertyMappings, type PropertyMapping } from "@/lib/mappings/property-mappings";
import { getSubscriberDetail } from "@/lib/subscribers/subscriber-detail";
import { relinkMergedContact, unlinkContact } from "@/lib/sync/contact-lifecycle";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { searchBoundBefore } from "@/lib/sync/search-bound";
import { getSyncOverview } from "@/lib/sync/sync-history";
import { acquireSyncLease, LEASE_SECONDS, releaseSyncLease } from "@/lib/sync/sync-state";
import { getSyncStatus } from "@/lib/sync/sync-status";
import { MAX_WINDOW_RESTARTS } from "@/lib/sync/sync-window";
import { SAFETY_LAG_SECONDS } from "@/lib/sync/watermark";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// Users (n % 5 !== 0) with plain seeded emails: each gets a subscriber.
const SEEDED = [2, 3, 4, 6, 8, 9, 11, 12, 13, 16, 17, 18, 19, 21, 22, 23, 24, 26, 27, 28];
const DAY = 86_400;

type SearchBody = { query: any; sort: any; pagination: { per_page: number; starting_after?: string } };

describe("sync correctness against Intercom's behaviour", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;
  let mappings: PropertyMapping[];
  let movedContact: ContactObject;
  const subscriberOf = new Map<string, string>();

  const now = () => Math.floor(Date.now() / 1000);
  const active = (email: string) => emu.store.findContactsByEmail(email).filter((s) => s.state === "active").map((s) => s.contact);
  const mappingFor = (attribute: string) => mappings.find((m) => m.intercomAttribute === attribute)!;
  const searchesSince = (start: number) =>
    emu.requests.slice(start).filter((r) => r.method === "POST" && r.path === "/contacts/search").map((r) => ({ status: r.status, body: r.body as SearchBody }));

  async function valueOf(subscriberId: string, attribute: string) {
    const [row] = await db()
      .select()
      .from(subscriberPropertyValues)
      .where(and(eq(subscriberPropertyValues.subscriberId, subscriberId), eq(subscriberPropertyValues.propertyId, mappingFor(attribute).property.id)));
    return row;
  }
  async function subscriber(email: string) {
    const [row] = await db().select().from(subscribers).where(eq(subscribers.id, subscriberOf.get(email)!));
    return row!;
  }
  async function stateRow() {
    const [row] = await db().select().from(syncState).where(eq(syncState.connectionId, connectionId));
    return row!;
  }
  async function addSubscriber(email: string) {
    const [row] = await db().insert(subscribers).values({ accountId, email, emailKey: emailKey(email)! }).returning();
    subscriberOf.set(emailKey(email)!, row!.id);
  }

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 600 });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Sync correctness")).account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const saved = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } },
      { intercomAttribute: "custom_attributes.seats", newProperty: { name: "Seats" } },
    ]);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    mappings = saved.mappings;
    for (const n of SEEDED) await addSubscriber(seededContactEmail(n)!);
    // A subscriber whose contact is on the first page of an oldest-first walk.
    const oldest = emu.store
      .activeContacts()
      .map((s) => s.contact)
      .filter((c) => c.role === "user" && c.email && !subscriberOf.has(emailKey(c.email)!))
      .sort((a, b) => a.updated_at - b.updated_at);
    movedContact = oldest[0]!;
    await addSubscriber(movedContact.email!);
  });

  afterAll(async () => {
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.accountId, accountId));
    await emu.close();
  });

  it("paging is at-least-once: a contact updated mid-run moves to a later page and its newest version wins (traps C03)", async () => {
    let moved = false;
    const outcome = await runIntercomSync({
      accountId,
      trigger: "manual",
      onPage: () => {
        if (moved) return;
        moved = true;
        emu.store.updateContact(movedContact.id, { custom_attributes: { plan_name: "Moved mid-run" } });
      },
    });
    const total = emu.store.counts().active;
    expect(outcome).toMatchObject({ status: "succeeded", mode: "full", strategy: "scan", counts: { contactsRead: total + 1, errorCount: 0 } });
    expect((await valueOf(subscriberOf.get(emailKey(movedContact.email)!)!, "custom_attributes.plan_name"))?.value).toBe("Moved mid-run");
    for (const n of SEEDED) {
      const contact = active(seededContactEmail(n)!)[0]!;
      expect((await valueOf(subscriberOf.get(seededContactEmail(n)!)!, "custom_attributes.plan_name"))?.value ?? null, `#${n}`).toEqual(
        contact.custom_attributes.plan_name ?? null,
      );
    }
    // The run record carries the counters the Sync tab shows; matched is exact after a full read.
    if (outcome.status !== "succeeded") return;
    const [run] = await db().select().from(syncRuns).where(eq(syncRuns.id, outcome.runId));
    expect(run).toMatchObject({
      status: "succeeded",
      strategy: "scan",
      pagesRead: outcome.counts.pagesRead,
      apiCalls: outcome.counts.pagesRead,
      contactsMatched: SEEDED.length + 1,
      estimatedTotal: total,
      heartbeatAt: expect.any(Date),
    });
    expect(await stateRow()).toMatchObject({ checkpoint: null, lastFullSyncAt: expect.any(Date), activeRunId: null });
  });

  it("a contact created just before a run but indexed after it is picked up by the next run (traps C02)", async () => {
    emu.configure({ searchIndexLagSeconds: 3600 });
    await addSubscriber("fresh.signup@example.com");
    const fresh = emu.store.createContact({ email: "fresh.signup@example.com", custom_attributes: { plan_name: "Fresh" } });
    const touched = active(seededContactEmail(2)!)[0]!;
    emu.store.updateContact(touched.id, { custom_attributes: { plan_name: "Touched" } });

    const first = await runIntercomSync({ accountId, trigger: "cron" });
    expect(first).toMatchObject({ status: "succeeded", mode: "incremental" });
    expect((await valueOf(subscriberOf.get(seededContactEmail(2)!)!, "custom_attributes.plan_name"))?.value).toBe("Touched");
    expect(await subscriber("fresh.signup@example.com")).toMatchObject({ intercomMatch: "none", intercomContactId: null });
    // The watermark trails the clock by the safety lag, so it stays before the unindexed contact.
    const { watermark } = await stateRow();
    expect(watermark!).toBeLessThanOrEqual(now() - SAFETY_LAG_SECONDS);
    expect(watermark! - SAFETY_LAG_SECONDS).toBeLessThan(fresh.updated_at);

    emu.configure({ searchIndexLagSeconds: 0 });
    const second = await runIntercomSync({ accountId, trigger: "cron" });
    expect(second).toMatchObject({ status: "succeeded", mode: "incremental" });
    expect(await subscriber("fresh.signup@example.com")).toMatchObject({ intercomMatch: "matched", intercomContactId: fresh.id });
    expect((await valueOf(subscriberOf.get("fresh.signup@example.com")!, "custom_attributes.plan_name"))?.value).toBe("Fresh");
  });

  it("stops within its time budget with a checkpoint; the next run continues it, heartbeating as it goes", async () => {
    const stopped = await runIntercomSync({ accountId, trigger: "manual", mode: "full", budgetMs: 0 });
    expect(stopped).toMatchObject({ status: "partial", mode: "full", counts: { pagesRead: 1, contactsRead: 150 }, message: expect.stringContaining("time limit") });
    const paused = await stateRow();
    expect(paused).toMatchObject({ leaseOwner: null, checkpoint: { kind: "window", mode: "full", cursor: expect.any(String), read: 150 } });
    expect(await getSyncStatus(accountId)).toMatchObject({ running: false, run: { status: "partial" }, paused: { kind: "window", mode: "full", read: 150 } });

    const seen: Array<{ live: number; reported: number; leaseLeftMs: number; running: boolean; activeRun: string | null; runId: string }> = [];
    const next = await runIntercomSync({
      accountId,
      trigger: "cron",
      onPage: async (p) => {
        const [run] = await db().select().from(syncRuns).where(eq(syncRuns.id, p.runId));
        const state = await stateRow();
        const status = await getSyncStatus(accountId);
        seen.push({
          live: run!.contactsRead,
          reported: p.contactsRead,
          leaseLeftMs: state.leaseExpiresAt!.getTime() - Date.now(),
          running: status.running && status.run?.id === p.runId && status.run.status === "running",
          activeRun: state.activeRunId,
          runId: p.runId,
        });
      },
    });
    const total = emu.store.counts().active;
    expect(next).toMatchObject({ status: "succeeded", mode: "full", counts: { contactsRead: total - 150 }, estimatedTotal: total - 150 });
    expect(seen.length).toBeGreaterThan(1);
    // The progress bar's row shows the first page at once, then at most a second behind the
    // run, never ahead of it, and the final counts once the run ends.
    expect(seen[0]!.live).toBe(seen[0]!.reported);
    for (const s of seen) {
      expect(s.live).toBeGreaterThan(0);
      expect(s.live).toBeLessThanOrEqual(s.reported);
      expect(s.leaseLeftMs).toBeGreaterThan((LEASE_SECONDS - 30) * 1000);
      expect(s.running).toBe(true);
      expect(s.activeRun).toBe(s.runId);
    }
    expect(await stateRow()).toMatchObject({ checkpoint: null, leaseOwner: null });
    const [finished] = await db().select().from(syncRuns).where(eq(syncRuns.id, seen[0]!.runId));
    expect(finished!.contactsRead).toBe(total - 150);
  });

  it("a 5xx in the middle of paging restarts the window from its last safe point (traps C05)", async () => {
    const start = emu.requests.length;
    // The checkpoint's newest updated_at after each applied page.
    const maxSeenAfterPage: number[] = [];
    // Page 3's request fails, and so do the client's own retries (1 + 3), after the page reader
    // thread's early read of it failed too: that one is not the walk's answer, so it asks again.
    // Placed by request number: the scan asks for pages ahead of the one it writes.
    emu.faults.inject({ status: 500, count: 5, after: 2, match: { pathPrefix: "/contacts/search" } });
    const outcome = await runIntercomSync({
      accountId,
      trigger: "manual",
      mode: "full",
      strategy: "scan",
      onPage: async () => {
        maxSeenAfterPage.push(((await stateRow()).checkpoint as { maxSeen: number }).maxSeen);
      },
    });
    expect(outcome).toMatchObject({ status: "succeeded", mode: "full" });
    const searches = searchesSince(start);
    const firstFault = searches.findIndex((s) => s.status === 500);
    expect(firstFault).toBe(2);
    expect(searches.slice(firstFault, firstFault + 5).map((s) => s.status)).toEqual([500, 500, 500, 500, 500]);
    // Every page answered before the fault was applied; the restart is a fresh walk (no cursor)
    // from the local midnight of the newest contact applied.
    const restart = searches[firstFault + 5]!.body;
    expect(restart.pagination).toEqual({ per_page: 150 });
    expect(restart.query).toEqual({ field: "updated_at", operator: ">", value: searchBoundBefore(maxSeenAfterPage[firstFault - 1]!, emu.workspace.timezone) });
    for (const s of searches) {
      expect(s.body.sort).toEqual({ field: "updated_at", order: "ascending" });
      expect(s.body.pagination.per_page).toBe(150);
      expect(s.body.pagination.starting_after).not.toBeNull();
    }
    for (const n of SEEDED.slice(0, 5)) {
      const contact = active(seededContactEmail(n)!)[0]!;
      expect((await valueOf(subscriberOf.get(seededContactEmail(n)!)!, "custom_attributes.seats"))?.value ?? null).toEqual(contact.custom_attributes.seats ?? null);
    }
  });

  it("restarts are bounded: persistent 5xx fail the run, keep the watermark, and the next run resumes", async () => {
    const before = await stateRow();
    const start = emu.requests.length;
    // Every search after the first page's fails.
    emu.faults.inject({ status: 503, count: 100, after: 1, match: { pathPrefix: "/contacts/search" } });
    const failed = await runIntercomSync({ accountId, trigger: "manual", mode: "full", strategy: "scan" });
    emu.faults.clear();
    expect(failed).toMatchObject({ status: "failed", message: expect.stringContaining("Intercom failed after retries") });
    expect(searchesSince(start)).toHaveLength(1 + (1 + MAX_WINDOW_RESTARTS) * 4);
    const after = await stateRow();
    expect(after.watermark).toBe(before.watermark);
    const checkpoint = after.checkpoint as { mode: string; cursor: string | null; floor: number; maxSeen: number };
    expect(checkpoint).toMatchObject({ mode: "full", cursor: null, floor: checkpoint.maxSeen });

    const resumeStart = emu.requests.length;
    const resumed = await runIntercomSync({ accountId, trigger: "cron" });
    expect(resumed).toMatchObject({ status: "succeeded", mode: "full" });
    expect(searchesSince(resumeStart)[0]!.body.query).toEqual({ field: "updated_at", operator: ">", value: searchBoundBefore(checkpoint.maxSeen, emu.workspace.timezone) });
  });

  it("a 400 is reported, not retried; the next run starts the window over from its safe point", async () => {
    const capped = await runIntercomSync({ accountId, trigger: "manual", mode: "full", strategy: "scan", maxPages: 1 });
    expect(capped).toMatchObject({ status: "partial" });
    const checkpoint = (await stateRow()).checkpoint as Record<string, unknown>;
    // A cursor Intercom no longer accepts.
    await db().update(syncState).set({ checkpoint: { ...checkpoint, cursor: "bm90LWEtY3Vyc29y" } }).where(eq(syncState.connectionId, connectionId));
    const start = emu.requests.length;
    const failed = await runIntercomSync({ accountId, trigger: "cron" });
    expect(failed).toMatchObject({ status: "failed", message: expect.stringContaining("Intercom rejected the search request: Invalid starting_after") });
    expect(searchesSince(start)).toEqual([expect.objectContaining({ status: 400 })]);
    expect((await stateRow()).checkpoint).toMatchObject({ cursor: null, floor: checkpoint.maxSeen });
    expect(await runIntercomSync({ accountId, trigger: "cron" })).toMatchObject({ status: "succeeded", mode: "full" });
  });

  it("overlapping cron invocations exit cleanly with 200 and 'already running'", async () => {
    const lease = await acquireSyncLease(db(), { id: connectionId, accountId });
    expect(lease).not.toBeNull();
    try {
      const res = await cronGET(new Request("http://127.0.0.1:3999/api/cron/intercom-sync", { headers: { Authorization: "Bearer test-cron-secret-0123456789" } }));
      expect(res.status).toBe(200);
      expect((await res.json()).syncs).toContainEqual(expect.objectContaining({ accountId, status: "already_running" }));
    } finally {
      await releaseSyncLease(db(), connectionId, lease!.owner);
    }
  });

  it("a full read that no longer returns a stored contact verifies it: deleted and archived are unlinked (values stale), merged is relinked", async () => {
    const deleted = active(seededContactEmail(21)!)[0]!;
    const archived = active(seededContactEmail(22)!)[0]!;
    await addSubscriber("merge.me@example.com");
    const lead = emu.store.createContact({ role: "lead", email: "merge.me@example.com", custom_attributes: { plan_name: "Lead plan" }, created_at: now() - 3 * DAY });
    await runIntercomSync({ accountId, trigger: "manual", mode: "full" });
    expect(await subscriber("merge.me@example.com")).toMatchObject({ intercomContactId: lead.id });

    emu.store.deleteContact(deleted.id);
    emu.store.archiveContact(archived.id);
    // The survivor is too new to be searchable: only the 410's Link header leads to it.
    emu.configure({ searchIndexLagSeconds: 3600 });
    const survivor = emu.store.createContact({ email: "merge.me@example.com", custom_attributes: { plan_name: "Survivor plan" } });
    emu.store.mergeContact(lead.id, survivor.id);
    const start = emu.requests.length;
    try {
      expect(await runIntercomSync({ accountId, trigger: "manual", mode: "full" })).toMatchObject({ status: "succeeded" });
    } finally {
      emu.configure({ searchIndexLagSeconds: 0 });
    }
    const reads = emu.requests.slice(start).filter((r) => r.method === "GET").map((r) => [r.path, r.status]);
    expect(reads).toEqual(
      expect.arrayContaining([
        [`/contacts/${deleted.id}`, 404],
        [`/contacts/${archived.id}`, 404],
        [`/contacts/${lead.id}`, 410],
        [`/contacts/${survivor.id}`, 200],
      ]),
    );
    for (const n of [21, 22]) {
      const email = seededContactEmail(n)!;
      expect(await subscriber(email)).toMatchObject({ intercomContactId: null, intercomMatch: "none", intercomCandidates: 0 });
      const detail = await getSubscriberDetail(accountId, subscriberOf.get(email)!);
      const plan = detail!.properties.find((p) => p.propertyId === mappingFor("custom_attributes.plan_name").property.id)!;
      expect(plan).toMatchObject({ stale: true, sourceContactId: n === 21 ? deleted.id : archived.id });
    }
    expect(await subscriber("merge.me@example.com")).toMatchObject({ intercomContactId: survivor.id, intercomMatch: "matched" });
    expect(await valueOf(subscriberOf.get("merge.me@example.com")!, "custom_attributes.plan_name")).toMatchObject({
      value: "Survivor plan",
      sourceContactId: survivor.id,
      stale: false,
    });
  });

  it("unlinkContact re-resolves the subscriber by email; relinkMergedContact follows a merge", async () => {
    const gone = active(seededContactEmail(23)!)[0]!;
    emu.store.deleteContact(gone.id);
    const replacement = emu.store.createContact({ email: seededContactEmail(23)!, custom_attributes: { plan_name: "Recreated" }, created_at: now() - 2 * DAY });
    expect(await unlinkContact(accountId, gone.id, "deleted")).toEqual({ subscribersAffected: 1, subscribersRelinked: 1, subscribersUnlinked: 0 });
    expect(await subscriber(seededContactEmail(23)!)).toMatchObject({ intercomContactId: replacement.id, intercomMatch: "matched" });
    expect(await valueOf(subscriberOf.get(seededContactEmail(23)!)!, "custom_attributes.plan_name")).toMatchObject({ value: "Recreated", stale: false });

    const from = active(seededContactEmail(24)!)[0]!;
    const into = emu.store.createContact({ email: seededContactEmail(24)!, custom_attributes: { plan_name: "Merged into" }, created_at: now() - 2 * DAY });
    emu.store.mergeContact(from.id, into.id);
    expect(await relinkMergedContact(accountId, from.id, into.id)).toEqual({ subscribersAffected: 1, subscribersRelinked: 1, subscribersUnlinked: 0 });
    expect(await subscriber(seededContactEmail(24)!)).toMatchObject({ intercomContactId: into.id });
    expect((await valueOf(subscriberOf.get(seededContactEmail(24)!)!, "custom_attributes.plan_name"))?.value).toBe("Merged into");

    // Unknown contacts change nothing.
    expect(await unlinkContact(accountId, "000000000000000000000000", "archived")).toEqual({ subscribersAffected: 0, subscribersRelinked: 0, subscribersUnlinked: 0 });
  });

  it("a newly mapped attribute is backfilled by contact id, without re-reading the workspace", async () => {
    const saved = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.plan_name", propertyId: mappingFor("custom_attributes.plan_name").property.id },
      { intercomAttribute: "custom_attributes.seats", propertyId: mappingFor("custom_attributes.seats").property.id },
      { intercomAttribute: "custom_attributes.lifetime_value", newProperty: { name: "Lifetime value" } },
    ]);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    mappings = saved.mappings;
    const rows = await db().select().from(propertyMappings).where(eq(propertyMappings.accountId, accountId));
    expect(rows.filter((r) => r.backfilledAt === null).map((r) => r.intercomAttribute)).toEqual(["custom_attributes.lifetime_value"]);

    const start = emu.requests.length;
    const outcome = await runIntercomSync({ accountId, trigger: "mapping" });
    // (Unmatched subscribers added minutes ago are looked up again too: "+newcomers".)
    expect(outcome).toMatchObject({ status: "succeeded", mode: "incremental", strategy: expect.stringMatching(/^backfill\+scan/) });
    const linked = (await db().select().from(subscribers).where(eq(subscribers.accountId, accountId))).filter((s) => s.intercomContactId);
    const searches = searchesSince(start);
    const byId = searches.filter((s) => s.body.query.field === "id");
    expect(byId).toHaveLength(Math.ceil(linked.length / 100));
    expect(byId[0]!.body.query).toMatchObject({ operator: "IN", value: expect.arrayContaining([linked[0]!.intercomContactId]) });
    // One single-row search sizes the workspace for the cost comparison; nothing pages through it.
    expect(searches.filter((s) => s.body.query.value === 0).map((s) => s.body.pagination)).toEqual([{ per_page: 1 }]);
    for (const s of linked) {
      const contact = emu.store.getContact(s.intercomContactId!)!.contact;
      expect((await valueOf(s.id, "custom_attributes.lifetime_value"))?.value ?? null, s.email).toEqual(contact.custom_attributes.lifetime_value ?? null);
    }
    const after = await db().select().from(propertyMappings).where(eq(propertyMappings.accountId, accountId));
    expect(after.every((r) => r.backfilledAt instanceof Date)).toBe(true);
  });

  it("unmapping stops updating a property; its stored values stay", async () => {
    const seats = mappingFor("custom_attributes.seats");
    const saved = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.plan_name", propertyId: mappingFor("custom_attributes.plan_name").property.id },
    ]);
    expect(saved.ok).toBe(true);
    const email = seededContactEmail(6)!;
    const before = await valueOf(subscriberOf.get(email)!, "custom_attributes.seats");
    emu.store.updateContact(active(email)[0]!.id, { custom_attributes: { seats: 4242, plan_name: "Still synced" } });
    expect(await runIntercomSync({ accountId, trigger: "cron" })).toMatchObject({ status: "succeeded" });
    const [kept] = await db()
      .select()
      .from(subscriberPropertyValues)
      .where(and(eq(subscriberPropertyValues.subscriberId, subscriberOf.get(email)!), eq(subscriberPropertyValues.propertyId, seats.property.id)));
    expect(kept?.value).toEqual(before?.value);
    expect((await valueOf(subscriberOf.get(email)!, "custom_attributes.plan_name"))?.value).toBe("Still synced");
    const detail = await getSubscriberDetail(accountId, subscriberOf.get(email)!);
    expect(detail!.properties.find((p) => p.propertyId === seats.property.id)).toMatchObject({ intercomLabel: null, syncedAt: expect.any(Date) });
  });

  it("sync errors are searchable by subscriber email or message", async () => {
    const email = seededContactEmail(3)!;
    await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.plan_name", propertyId: mappingFor("custom_attributes.plan_name").property.id },
      { intercomAttribute: "custom_attributes.seats", propertyId: mappingFor("custom_attributes.seats").property.id },
    ]);
    // The re-added mapping is backfilled first, so this run reads the bad value only once.
    await runIntercomSync({ accountId, trigger: "mapping" });
    emu.store.updateContact(active(email)[0]!.id, { custom_attributes: { seats: "lots" } });
    const outcome = await runIntercomSync({ accountId, trigger: "cron" });
    expect(outcome).toMatchObject({ status: "succeeded", counts: { errorCount: 1 } });
    expect((await getSyncOverview(accountId, { errorSearch: "USER3@" })).errors).toEqual([
      expect.objectContaining({ subscriber: expect.objectContaining({ email }), message: expect.stringContaining('"lots" is not a number') }),
    ]);
    expect((await getSyncOverview(accountId, { errorSearch: "not a number" })).errors).toHaveLength(1);
    expect((await getSyncOverview(accountId, { errorSearch: "nobody@" })).errors).toEqual([]);
    expect((await getSyncOverview(accountId, { errorSearch: "100%_" })).errors).toEqual([]);
  });

  it("an incremental run looks up subscribers added since the last run; a daily full read reconciles the rest", async () => {
    const email = seededContactEmail(31)!;
    await addSubscriber(email);
    const contact = active(email)[0]!;
    expect(contact.updated_at).toBeLessThan(now() - DAY); // untouched lately: no incremental window would see it
    const start = emu.requests.length;
    const outcome = await runIntercomSync({ accountId, trigger: "cron" });
    expect(outcome).toMatchObject({ status: "succeeded", mode: "incremental", strategy: "scan+newcomers" });
    const lookup = searchesSince(start).find((s) => s.body.query.field === "email")!.body.query;
    expect(lookup).toMatchObject({ operator: "IN", value: expect.arrayContaining([email]) });
    expect(await subscriber(email)).toMatchObject({ intercomContactId: contact.id, intercomMatch: "matched" });
    expect((await valueOf(subscriberOf.get(email)!, "custom_attributes.plan_name"))?.value ?? null).toEqual(contact.custom_attributes.plan_name ?? null);
    // Only subscribers added since the previous run (less a margin for imports in flight) are looked up.
    await db().update(subscribers).set({ createdAt: new Date(Date.now() - 3600_000) }).where(eq(subscribers.accountId, accountId));
    const again = emu.requests.length;
    expect(await runIntercomSync({ accountId, trigger: "cron" })).toMatchObject({ status: "succeeded", strategy: "scan" });
    expect(searchesSince(again).some((s) => s.body.query.field === "email")).toBe(false);

    await db().update(syncState).set({ lastFullSyncAt: new Date(Date.now() - 25 * 3600_000) }).where(eq(syncState.connectionId, connectionId));
    expect(await runIntercomSync({ accountId, trigger: "cron" })).toMatchObject({ status: "succeeded", mode: "full" });
    expect((await stateRow()).lastFullSyncAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("looks subscribers up by email when they are far fewer than the workspace's contacts", async () => {
    const big = await startTestEmulator({ contactCount: 20_000 });
    const lookupAccount = (await createTestAccount("Lookup")).account.id;
    try {
      useEmulatorHosts(big);
      await connectAccountToEmulator(lookupAccount, big);
      const saved = await savePropertyMappings(lookupAccount, [{ intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } }]);
      if (!saved.ok) throw new Error(JSON.stringify(saved));
      const numbers = Array.from({ length: 30 }, (_, k) => 101 + 613 * k).filter((n) => n % 25 !== 0);
      const emails = numbers.map((n) => seededContactEmail(n)!);
      const rows = await db()
        .insert(subscribers)
        .values(emails.map((e) => ({ accountId: lookupAccount, email: e, emailKey: emailKey(e)! })))
        .returning();

      const outcome = await runIntercomSync({ accountId: lookupAccount, trigger: "manual" });
      // One search to size the workspace (its page is applied too), then one per 100 subscribers.
      expect(outcome).toMatchObject({ status: "succeeded", mode: "full", strategy: "scan+lookup", estimatedTotal: emails.length, counts: { apiCalls: 2 } });
      const lookup = big.requests.filter((r) => r.path === "/contacts/search")[1]!.body as SearchBody;
      expect(lookup.query).toEqual({ field: "email", operator: "IN", value: [...emails.map((e) => emailKey(e)!)].sort() });
      for (const row of rows) {
        const contact = big.store.findContactsByEmail(row.email).find((s) => s.state === "active")!.contact;
        const [linked] = await db().select().from(subscribers).where(eq(subscribers.id, row.id));
        expect(linked).toMatchObject({ intercomContactId: contact.id, intercomMatch: "matched" });
        const [value] = await db()
          .select()
          .from(subscriberPropertyValues)
          .where(and(eq(subscriberPropertyValues.subscriberId, row.id), eq(subscriberPropertyValues.propertyId, saved.mappings[0]!.property.id)));
        expect(value?.value ?? null).toEqual(contact.custom_attributes.plan_name ?? null);
      }
      const [run] = await db().select().from(syncRuns).where(eq(syncRuns.accountId, lookupAccount));
      expect(run).toMatchObject({ strategy: "scan+lookup", apiCalls: 2, contactsMatched: emails.length });

      // Incremental, forced to look up: only changes since the watermark, for these emails.
      const changed = big.store.findContactsByEmail(emails[3]!).find((s) => s.state === "active")!.contact;
      big.store.updateContact(changed.id, { custom_attributes: { plan_name: "Looked up" } });
      const start = big.requests.length;
      const incremental = await runIntercomSync({ accountId: lookupAccount, trigger: "cron", strategy: "lookup" });
      expect(incremental).toMatchObject({ status: "succeeded", mode: "incremental", strategy: "lookup", counts: { apiCalls: 1 } });
      const query = (big.requests[start]!.body as SearchBody).query;
      expect(query).toMatchObject({ operator: "AND", value: [{ field: "email", operator: "IN" }, { field: "updated_at", operator: ">" }] });
      const [value] = await db()
        .select()
        .from(subscriberPropertyValues)
        .where(and(eq(subscriberPropertyValues.sourceContactId, changed.id), eq(subscriberPropertyValues.accountId, lookupAccount)));
      expect(value?.value).toBe("Looked up");
    } finally {
      await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.accountId, lookupAccount));
      useEmulatorHosts(emu);
      await big.close();
    }
  });
});
