import { createHmac } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededContactEmail, type ContactObject, type RunningEmulator } from "@/emulators/intercom/server";
import { intercomConnections, subscriberPropertyValues, subscribers, syncRuns, webhookEvents } from "@/db/schema";
import { HEAD, POST } from "@/app/api/webhooks/intercom/route";
import { resetEnvCache } from "@/lib/env";
import { emailKey } from "@/lib/matching/email";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { scheduleWebhookProcessing } from "@/lib/webhooks/process-webhook-events";
import { signIntercomBody } from "@/lib/webhooks/signature";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";
import { percentile, startHandlerServer } from "../support/webhook-receiver";

const SECRET = "holdfast-dev-secret"; // vitest env INTERCOM_CLIENT_SECRET = the emulator's client secret
const URL_ = "http://127.0.0.1:3999/api/webhooks/intercom";

describe("Intercom webhooks: POST /api/webhooks/intercom", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let receiver: Awaited<ReturnType<typeof startHandlerServer>>;
  let accountId: string;
  let connectionId: string;
  let planId: string;
  let seatsId: string;
  const subscriberOf = new Map<number, string>();

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 300, webhookRetryDelayMs: 200 });
    useEmulatorHosts(emu);
    const { account } = await createTestAccount("Webhooks");
    accountId = account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const saved = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } },
      { intercomAttribute: "custom_attributes.seats", newProperty: { name: "Seats" } },
    ]);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    [planId, seatsId] = saved.mappings.map((m) => m.property.id) as [string, string];
    // Subscribers for seeded users 2..41 (none linked yet: no sync has run).
    const numbers = Array.from({ length: 40 }, (_, i) => i + 2).filter((n) => n % 5 !== 0 && seededContactEmail(n));
    const rows = await db()
      .insert(subscribers)
      .values(numbers.map((n) => ({ accountId, email: seededContactEmail(n)!, emailKey: emailKey(seededContactEmail(n))! })))
      .returning({ id: subscribers.id, emailKey: subscribers.emailKey });
    numbers.forEach((n) => subscriberOf.set(n, rows.find((r) => r.emailKey === emailKey(seededContactEmail(n)))!.id));
    receiver = await startHandlerServer(POST);
    emu.webhooks.setUrl(receiver.url);
  });

  afterAll(async () => {
    emu.webhooks.setUrl(null);
    await scheduleWebhookProcessing();
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
    await receiver.close();
    await emu.close();
  });

  const contactNo = (n: number): ContactObject => {
    const found = emu.store.findContactsByEmail(seededContactEmail(n)!).find((s) => s.state === "active");
    if (!found) throw new Error(`no active contact ${n}`);
    return found.contact;
  };
  const envelope = (topic: string, item: object, extra: Record<string, unknown> = {}) => ({
    type: "notification_event",
    id: `notif_${crypto.randomUUID()}`,
    app_id: emu.workspace.id,
    topic,
    created_at: Math.floor(Date.now() / 1000),
    delivery_attempts: 1,
    data: { type: "notification_event_data", item },
    ...extra,
  });
  const post = (raw: string | Buffer, signature: string | null = signIntercomBody(raw, SECRET), headers: Record<string, string> = {}) =>
    POST(
      new Request(URL_, {
        method: "POST",
        headers: { "content-type": "application/json", ...(signature ? { "x-hub-signature": signature } : {}), ...headers },
        body: typeof raw === "string" ? raw : new Uint8Array(raw),
      }),
    );
  /** Everything the emulator sent has been answered and applied. */
  const settle = async () => {
    await emu.webhooks.idle();
    await scheduleWebhookProcessing();
  };
  const valueOf = async (subscriberId: string, propertyId: string) => {
    const [row] = await db()
      .select()
      .from(subscriberPropertyValues)
      .where(and(eq(subscriberPropertyValues.subscriberId, subscriberId), eq(subscriberPropertyValues.propertyId, propertyId)));
    return row;
  };
  const subscriber = async (id: string) => (await db().select().from(subscribers).where(eq(subscribers.id, id)))[0]!;
  const eventsWithId = (notificationId: string) =>
    db().select().from(webhookEvents).where(and(eq(webhookEvents.workspaceId, emu.workspace.id), eq(webhookEvents.notificationId, notificationId)));

  it("answers Intercom's HEAD URL validation with 200", async () => {
    const res = HEAD();
    expect(res.status).toBe(200);
  });

  describe("signature over the raw body, checked before parsing", () => {
    it("accepts a correctly signed notification and stores it", async () => {
      const n = envelope("contact.user.updated", contactNo(3));
      const res = await post(JSON.stringify(n));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "queued" });
      expect(await eventsWithId(n.id)).toHaveLength(1);
    });

    it("rejects a wrong, malformed or missing signature with 401 and stores nothing", async () => {
      for (const signature of [signIntercomBody("other body", SECRET), signIntercomBody("x", "another-secret-123"), "sha1=zz", "sha256=abc", null]) {
        const n = envelope("contact.user.updated", contactNo(3));
        const raw = JSON.stringify(n);
        const res = await post(raw, signature);
        expect(res.status).toBe(401);
        expect(await eventsWithId(n.id)).toHaveLength(0);
      }
    });

    it("refuses a contact notification signed only with X-Body-Signature: Intercom signs topic notifications with X-Hub-Signature", async () => {
      const n = envelope("contact.user.updated", contactNo(3));
      const raw = JSON.stringify(n);
      const res = await post(raw, null, { "x-body-signature": createHmac("sha256", SECRET).update(raw).digest("hex") });
      expect(res.status).toBe(401);
      expect((await res.json()).error).toMatch(/Missing X-Hub-Signature/);
      expect(await eventsWithId(n.id)).toHaveLength(0);
    });

    it("fails closed when no client secret is configured, even for a body signed with the placeholder", async () => {
      const saved = process.env.INTERCOM_CLIENT_SECRET;
      delete process.env.INTERCOM_CLIENT_SECRET;
      resetEnvCache();
      try {
        const n = envelope("contact.user.updated", contactNo(3));
        const raw = JSON.stringify(n);
        const res = await post(raw, signIntercomBody(raw, "unset-client-secret"));
        expect(res.status).toBe(401);
        expect((await res.json()).error).toMatch(/not configured/);
        expect(await eventsWithId(n.id)).toHaveLength(0);
      } finally {
        process.env.INTERCOM_CLIENT_SECRET = saved;
        resetEnvCache();
      }
    });

    it("a signature of the re-serialised JSON does not verify the bytes actually sent", async () => {
      const n = envelope("contact.user.updated", { ...contactNo(3), name: "Zoë \u2013 café" });
      const sent = JSON.stringify(n, null, 2);
      const res = await post(sent, signIntercomBody(JSON.stringify(JSON.parse(sent)), SECRET));
      expect(res.status).toBe(401);
      // The same bytes signed as sent, non-ASCII included, pass.
      expect((await post(Buffer.from(sent, "utf8"))).status).toBe(200);
    });
  });

  describe("bad input is a 4xx, never a 500", () => {
    it("malformed JSON, a non-notification and an oversized body", async () => {
      expect((await post("{not json")).status).toBe(400);
      expect((await post(JSON.stringify({ hello: "world" }))).status).toBe(400);
      expect((await post(JSON.stringify({ type: "notification_event", topic: "ping", app_id: emu.workspace.id }))).status).toBe(400);
      expect((await post("")).status).toBe(400);
      const huge = JSON.stringify(envelope("contact.user.updated", { ...contactNo(3), notes: "x".repeat(1_100_000) }));
      expect((await post(huge)).status).toBe(413);
      // A lying Content-Length is not trusted: the reader stops at the cap either way.
      expect((await post(huge, signIntercomBody(huge, SECRET), { "content-length": "10" })).status).toBe(413);
    });

    it("a notification carrying a NUL character (which Postgres cannot store) is stored and applied, not answered 500", async () => {
      const c = emu.store.updateContact(contactNo(8).id, { custom_attributes: { plan_name: "nul\u0000plan" } });
      const n = envelope("contact.user.updated", c);
      const res = await post(JSON.stringify(n));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "queued" });
      await scheduleWebhookProcessing();
      const [row] = await eventsWithId(n.id);
      expect(row).toMatchObject({ status: "processed" });
      expect((await valueOf(subscriberOf.get(8)!, planId))?.value).toBe("nul\uFFFDplan");
    });

    it("an unknown app_id is acknowledged with 200 and dropped", async () => {
      const n = { ...envelope("contact.user.updated", contactNo(3)), app_id: "not_connected_anywhere" };
      const res = await post(JSON.stringify(n));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "unknown_app" });
      const rows = await db().select().from(webhookEvents).where(eq(webhookEvents.notificationId, n.id));
      expect(rows).toHaveLength(0);
    });
  });

  describe("applied through the sync's matching path, without a sync run", () => {
    it("contact.user.updated from a change in Intercom links the subscriber and writes its values", async () => {
      const c = emu.store.updateContact(contactNo(2).id, { custom_attributes: { plan_name: "Webhook Scale", seats: 42 } });
      await settle();
      const sub = await subscriber(subscriberOf.get(2)!);
      expect(sub.intercomContactId).toBe(c.id);
      expect((await valueOf(sub.id, planId))?.value).toBe("Webhook Scale");
      expect((await valueOf(sub.id, seatsId))?.value).toBe(42);
      expect((await valueOf(sub.id, planId))?.sourceUpdatedAt).toBe(c.updated_at);
      expect(await db().select().from(syncRuns).where(eq(syncRuns.accountId, accountId))).toHaveLength(0);
    });

    it("a duplicate notification is acknowledged once and stored once", async () => {
      const c = emu.store.updateContact(contactNo(4).id, { custom_attributes: { plan_name: "Once" } });
      const n = envelope("contact.user.updated", c);
      const raw = JSON.stringify(n);
      const first = await post(raw);
      const again = await post(raw);
      expect(await first.json()).toMatchObject({ status: "queued" });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ status: "duplicate" });
      await settle();
      const rows = await eventsWithId(n.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: "processed", attempts: 1 });
      expect((await valueOf(subscriberOf.get(4)!, planId))?.value).toBe("Once");
    });

    it("an event older than the stored version is ignored", async () => {
      const current = emu.store.updateContact(contactNo(6).id, { custom_attributes: { plan_name: "Current" } });
      await settle();
      const late = envelope("contact.user.updated", {
        ...current,
        updated_at: current.updated_at - 3_600,
        custom_attributes: { ...current.custom_attributes, plan_name: "An hour ago" },
      });
      expect((await post(JSON.stringify(late))).status).toBe(200);
      await settle();
      expect((await valueOf(subscriberOf.get(6)!, planId))?.value).toBe("Current");
      const [row] = await eventsWithId(late.id);
      expect(row).toMatchObject({ status: "ignored" });
      expect(row?.error).toMatch(/Older than/);
    });

    it("contact.user.created and contact.email.updated link the subscriber whose email the contact now carries", async () => {
      await db().insert(subscribers).values([
        { accountId, email: "new-signup@example.com", emailKey: "new-signup@example.com" },
        { accountId, email: "moved@example.com", emailKey: "moved@example.com" },
      ]);
      const created = emu.store.createContact({ role: "user", email: "New-Signup@example.com", custom_attributes: { plan_name: "Trial" } });
      const moved = emu.store.updateContact(contactNo(8).id, { email: "moved@example.com" });
      await settle();
      const [signup] = await db().select().from(subscribers).where(eq(subscribers.emailKey, "new-signup@example.com"));
      expect(signup?.intercomContactId).toBe(created.id);
      expect((await valueOf(signup!.id, planId))?.value).toBe("Trial");
      const [mover] = await db().select().from(subscribers).where(and(eq(subscribers.accountId, accountId), eq(subscribers.emailKey, "moved@example.com")));
      expect(mover?.intercomContactId).toBe(moved.id);
      const topics = emu.webhookDeliveries.map((d) => d.topic);
      expect(topics).toEqual(expect.arrayContaining(["contact.user.created", "contact.email.updated"]));
    });

    it("contact.merged relinks the subscriber from the merged contact to the survivor", async () => {
      await db().insert(subscribers).values({ accountId, email: "merge-me@example.com", emailKey: "merge-me@example.com" });
      const lead = emu.store.createContact({ role: "lead", email: "merge-me@example.com", custom_attributes: { plan_name: "Lead plan" } });
      await settle();
      const [before] = await db().select().from(subscribers).where(and(eq(subscribers.accountId, accountId), eq(subscribers.emailKey, "merge-me@example.com")));
      expect(before?.intercomContactId).toBe(lead.id);

      // The user is created while the subscription is paused, so only the merge tells us about it.
      emu.webhooks.configure({ enabled: false });
      const user = emu.store.createContact({ role: "user", email: "merge-me@example.com", custom_attributes: { plan_name: "User plan" } });
      emu.webhooks.configure({ enabled: true });
      emu.store.mergeContact(lead.id, user.id);
      await settle();
      const after = await subscriber(before!.id);
      expect(after.intercomContactId).toBe(user.id);
      expect(await valueOf(before!.id, planId)).toMatchObject({ value: "User plan", sourceContactId: user.id, stale: false });
      const [merged] = await db().select().from(webhookEvents).where(and(eq(webhookEvents.accountId, accountId), eq(webhookEvents.topic, "contact.merged")));
      expect(merged).toMatchObject({ status: "processed", contactId: user.id });
    });

    it("contact.deleted unlinks the subscriber and marks its synced values stale", async () => {
      const id = contactNo(9).id;
      emu.store.updateContact(id, { custom_attributes: { plan_name: "Doomed" } });
      await settle();
      expect((await subscriber(subscriberOf.get(9)!)).intercomContactId).toBe(id);
      emu.store.deleteContact(id);
      await settle();
      const sub = await subscriber(subscriberOf.get(9)!);
      expect(sub.intercomContactId).toBeNull();
      expect(await valueOf(sub.id, planId)).toMatchObject({ value: "Doomed", stale: true });
    });

    it("a deletion delivered before an update of the same contact, in one batch, still wins", async () => {
      const c = emu.store.updateContact(contactNo(27).id, { custom_attributes: { plan_name: "Racing" } });
      await settle();
      expect((await subscriber(subscriberOf.get(27)!)).intercomContactId).toBe(c.id);
      // Intercom promises no order: here the deletion comes first and the update it followed after,
      // close enough together to be applied in one batch (and no earlier deletion is on record).
      emu.webhooks.configure({ enabled: false });
      try {
        emu.store.deleteContact(c.id);
      } finally {
        emu.webhooks.configure({ enabled: true });
      }
      const deletion = envelope("contact.deleted", { type: "contact", id: c.id });
      const update = envelope("contact.user.updated", c);
      await post(JSON.stringify(deletion));
      await post(JSON.stringify(update));
      await scheduleWebhookProcessing();
      expect((await eventsWithId(deletion.id))[0]).toMatchObject({ status: "processed" });
      expect((await eventsWithId(update.id))[0]).toMatchObject({ status: "ignored" });
      expect((await subscriber(subscriberOf.get(27)!)).intercomContactId).toBeNull();
    });

    it("contact.archived unlinks (values stale); contact.unarchive links again with fresh values", async () => {
      const id = contactNo(11).id;
      emu.store.updateContact(id, { custom_attributes: { plan_name: "Archivable" } });
      await settle();
      emu.store.archiveContact(id);
      await settle();
      expect((await subscriber(subscriberOf.get(11)!)).intercomContactId).toBeNull();
      expect(await valueOf(subscriberOf.get(11)!, planId)).toMatchObject({ stale: true });
      emu.store.unarchiveContact(id);
      await settle();
      expect((await subscriber(subscriberOf.get(11)!)).intercomContactId).toBe(id);
      expect(await valueOf(subscriberOf.get(11)!, planId)).toMatchObject({ value: "Archivable", stale: false });
    });

    it("a late update about a deleted contact does not bring it back", async () => {
      const c = emu.store.updateContact(contactNo(12).id, { custom_attributes: { plan_name: "Before delete" } });
      const lateUpdate = envelope("contact.user.updated", c);
      emu.store.deleteContact(c.id);
      await settle();
      await post(JSON.stringify(lateUpdate));
      await settle();
      expect((await subscriber(subscriberOf.get(12)!)).intercomContactId).toBeNull();
      expect((await eventsWithId(lateUpdate.id))[0]).toMatchObject({ status: "ignored" });
    });

    it("ping is recorded and nothing else happens", async () => {
      await emu.webhooks.ping();
      await settle();
      const pings = await db().select().from(webhookEvents).where(and(eq(webhookEvents.accountId, accountId), eq(webhookEvents.topic, "ping")));
      expect(pings).toHaveLength(1);
      expect(pings[0]).toMatchObject({ status: "processed", contactId: null });
      expect(emu.webhookDeliveries.filter((d) => d.topic === "ping").map((d) => d.status)).toEqual(["delivered"]);
    });
  });

  it("a 10,000-notification burst: every one answered 200, stored and applied, none lost", async () => {
    const sent = emu.webhookDeliveries.length;
    receiver.durationsMs.length = 0;
    // A change to each of these right before the burst: the burst must carry it to the subscribers.
    const burstSubs = [13, 14, 16, 17, 18, 19, 21, 22, 23, 24];
    for (const n of burstSubs) emu.store.updateContact(contactNo(n).id, { custom_attributes: { seats: 1000 + n } });
    await settle();
    const queued = emu.webhooks.burst(10_000);
    expect(queued).toBe(10_000);
    const started = performance.now();
    await emu.webhooks.idle();
    const answeredMs = performance.now() - started;
    await scheduleWebhookProcessing();
    const elapsedMs = performance.now() - started;

    const deliveries = emu.webhookDeliveries.slice(sent + burstSubs.length);
    expect(deliveries).toHaveLength(10_000);
    expect(deliveries.filter((d) => d.status !== "delivered")).toEqual([]);
    const ids = deliveries.map((d) => d.id);
    let stored = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await db()
        .select({ status: webhookEvents.status })
        .from(webhookEvents)
        .where(and(eq(webhookEvents.workspaceId, emu.workspace.id), inArray(webhookEvents.notificationId, ids.slice(i, i + 1000))));
      stored += rows.length;
      expect(rows.filter((r) => r.status !== "processed")).toEqual([]);
    }
    expect(stored).toBe(10_000);
    for (const n of burstSubs) expect((await valueOf(subscriberOf.get(n)!, seatsId))?.value).toBe(1000 + n);

    const p50 = percentile(receiver.durationsMs, 50);
    const p99 = percentile(receiver.durationsMs, 99);
    console.info(
      `[webhooks burst] 10,000 notifications: handler p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...receiver.durationsMs).toFixed(1)} ms; all answered in ${(answeredMs / 1000).toFixed(1)} s, applied in ${(elapsedMs / 1000).toFixed(1)} s`,
    );
    expect(p99).toBeLessThan(5_000);
  }, 300_000);
});
