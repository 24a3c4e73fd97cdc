// The emulator's outbound webhooks, received by a tiny node:http server: signed envelopes, one
// topic per kind of contact change, a single retry after a failure, 410 disabling the
// subscription, and a 10,000-notification burst with bounded concurrency.

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startIntercomEmulator, type ContactObject, type RunningEmulator } from "@/emulators/intercom/server";
import { callEmulator } from "../support/intercom-emulator";

interface Envelope {
  type: string;
  id: string | null;
  app_id: string;
  topic: string;
  created_at: number;
  delivery_attempts: number;
  first_sent_at: number;
  data: { type: string; item: Record<string, unknown> };
  links: Record<string, never>;
  delivery_status: null;
  delivered_at: number;
  self: null;
}

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: Envelope;
  at: number;
}

/** A webhook receiver that records every POST and answers with scripted statuses (then 200). */
async function startReceiver() {
  const received: Received[] = [];
  let script: Array<{ status: number; delayMs?: number }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) as Envelope, at: performance.now() });
      const step = script.shift() ?? { status: 200 };
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(step.status).end();
      }, step.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/intercom/webhooks`,
    received,
    respondWith: (...steps: Array<{ status: number; delayMs?: number }>) => {
      script = steps;
    },
    maxInFlight: () => maxInFlight,
    reset: () => {
      received.length = 0;
      script = [];
      maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function verifies(secret: string, raw: string, signature: string | string[] | undefined): boolean {
  const expected = `sha1=${createHmac("sha1", secret).update(raw).digest("hex")}`;
  return typeof signature === "string" && signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

describe("outbound webhooks", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let emu: RunningEmulator;
  let token: string;
  const topics = () => receiver.received.map((r) => r.body.topic);

  beforeAll(async () => {
    receiver = await startReceiver();
    emu = await startIntercomEmulator({ contactCount: 60, webhookUrl: receiver.url, webhookRetryDelayMs: 150 });
    token = emu.issueToken();
  });
  afterAll(async () => {
    await emu?.close();
    await receiver?.close();
  });
  beforeEach(async () => {
    await emu.webhooks.idle();
    emu.webhooks.configure({ url: receiver.url, enabled: true, retryDelayMs: 150, timeoutMs: 5000 });
    receiver.reset();
    emu.webhookDeliveries.length = 0;
  });

  const someUser = () => emu.store.listContacts().find((c) => c.role === "user" && c.external_id) as ContactObject;
  const someLead = () => emu.store.listContacts().find((c) => c.role === "lead" && c.email) as ContactObject;

  it("signs the exact raw body with the client secret and sends the documented envelope and headers", async () => {
    const user = someUser();
    const put = await callEmulator<ContactObject>(emu, `/contacts/${user.id}`, {
      method: "PUT",
      token,
      body: { custom_attributes: { plan_name: "Scale — ünïcode" } },
    });
    expect(put.status).toBe(200);
    await emu.webhooks.idle();

    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received as [Received];
    expect(verifies(emu.clientSecret, got.raw, got.headers["x-hub-signature"])).toBe(true);
    // Re-serialising the parsed JSON is not the raw body: the check must use the bytes as sent.
    expect(verifies(emu.clientSecret, JSON.stringify(got.body, null, 1), got.headers["x-hub-signature"])).toBe(false);
    expect(verifies("", got.raw, got.headers["x-hub-signature"])).toBe(false);
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers.accept).toBe("application/json");
    expect(got.headers["user-agent"]).toBe("intercom-parrot-service-client/1.0");

    expect(got.body).toMatchObject({
      type: "notification_event",
      app_id: emu.workspace.id,
      topic: "contact.user.updated",
      delivery_attempts: 1,
      links: {},
      delivery_status: null,
      delivered_at: 0,
      self: null,
      data: { type: "notification_event_data", item: { type: "contact", id: user.id, updated_at: put.body.updated_at } },
    });
    expect(got.body.id).toMatch(/^notif_[0-9a-f-]{36}$/);
    expect(got.body.data.item.custom_attributes).toMatchObject({ plan_name: "Scale — ünïcode" });
    expect(typeof got.body.created_at).toBe("number");
    expect(got.body.first_sent_at).toBeGreaterThanOrEqual(got.body.created_at);
    expect(emu.webhookDeliveries).toMatchObject([{ id: got.body.id, topic: "contact.user.updated", status: "delivered", attempts: 1 }]);
  });

  it("sends one topic per kind of change, through the API, the store and the control endpoints", async () => {
    const user = someUser();
    const lead = someLead();
    const createdUser = emu.store.createContact({ role: "user", email: "new.user@example.com", external_id: "ext-new" });
    const createdLead = await callEmulator<{ contact: ContactObject }>(emu, "/_emulator/contacts", { body: { role: "lead", email: "new.lead@example.com" } });
    emu.store.updateContact(lead.id, { name: "Lead Renamed" });
    await callEmulator(emu, `/_emulator/contacts/${user.id}`, { body: { email: "changed@example.com" } });
    emu.store.mergeContact(createdLead.body.contact.id, user.id);
    await callEmulator(emu, `/_emulator/contacts/${createdUser.id}`, { method: "DELETE" });
    await callEmulator(emu, `/_emulator/contacts/${lead.id}/archive`, { body: {} });
    await callEmulator(emu, `/_emulator/contacts/${lead.id}/unarchive`, { body: {} });
    await emu.webhooks.idle();

    // Intercom promises no ordering, and deliveries run concurrently.
    expect(topics().sort()).toEqual([
      "contact.user.created",
      "contact.lead.created",
      "contact.lead.updated",
      "contact.user.updated",
      "contact.email.updated",
      "contact.merged",
      "contact.deleted",
      "contact.archived",
      "contact.unarchive",
    ].sort());
    const byTopic = Object.fromEntries(receiver.received.map((r) => [r.body.topic, r.body.data.item]));
    expect(byTopic["contact.user.created"]).toMatchObject({ id: createdUser.id, email: "new.user@example.com" });
    expect(byTopic["contact.email.updated"]).toMatchObject({ id: user.id, email: "changed@example.com" });
    expect(byTopic["contact.merged"]).toMatchObject({ type: "contact", id: user.id, merged_from: { type: "contact", id: createdLead.body.contact.id } });
    // Deletions carry only identification, not the contact.
    expect(byTopic["contact.deleted"]).toEqual({ type: "contact", id: createdUser.id, external_id: "ext-new" });
    expect(byTopic["contact.archived"]).toMatchObject({ id: lead.id, name: "Lead Renamed" });
    expect(byTopic["contact.unarchive"]).toMatchObject({ id: lead.id });
    for (const r of receiver.received) expect(verifies(emu.clientSecret, r.raw, r.headers["x-hub-signature"])).toBe(true);
    expect(new Set(receiver.received.map((r) => r.body.id)).size).toBe(receiver.received.length);
  });

  it("notifies about simulated activity and answers a ping (whose envelope id is null)", async () => {
    const activity = await callEmulator<{ changed: number; ids: string[] }>(emu, "/_emulator/activity", { body: { share: 0.1 } });
    expect(activity.status).toBe(200);
    const ping = await callEmulator(emu, "/_emulator/webhooks/ping", { body: {} });
    expect(ping.status).toBe(200);
    await emu.webhooks.idle();

    const updates = receiver.received.filter((r) => r.body.topic !== "ping");
    expect(updates.map((r) => r.body.data.item.id).sort()).toEqual([...activity.body.ids].sort());
    expect(updates.every((r) => /^contact\.(user|lead)\.updated$/.test(r.body.topic))).toBe(true);
    const pings = receiver.received.filter((r) => r.body.topic === "ping");
    expect(pings).toHaveLength(1);
    expect(pings[0]?.body).toMatchObject({ id: null, self: null, data: { item: { type: "ping" } } });
  });

  it("never holds up the API response while the receiver is slow", async () => {
    receiver.respondWith({ status: 200, delayMs: 1500 });
    const started = performance.now();
    const put = await callEmulator(emu, `/contacts/${someUser().id}`, { method: "PUT", token, body: { custom_attributes: { seats: 3 } } });
    const putMs = performance.now() - started;
    expect(put.status).toBe(200);
    expect(putMs).toBeLessThan(1000);
    await emu.webhooks.idle();
    expect(emu.webhookDeliveries.map((d) => d.status)).toEqual(["delivered"]);
  });

  it("retries a failed delivery once, after the retry delay, with delivery_attempts 2", async () => {
    receiver.respondWith({ status: 500 });
    emu.store.updateContact(someUser().id, { name: "Retry Me" });
    await emu.webhooks.idle();

    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received as [Received, Received];
    expect(second.body.id).toBe(first.body.id);
    expect([first.body.delivery_attempts, second.body.delivery_attempts]).toEqual([1, 2]);
    expect(second.body.first_sent_at).toBe(first.body.first_sent_at);
    expect(second.at - first.at).toBeGreaterThanOrEqual(140);
    expect(verifies(emu.clientSecret, second.raw, second.headers["x-hub-signature"])).toBe(true);
    expect(emu.webhookDeliveries).toMatchObject([{ status: "delivered", attempts: 2, responseStatus: 200 }]);
  });

  it("gives up after the retry fails, retries a timeout, and does not retry a 429", async () => {
    receiver.respondWith({ status: 503 }, { status: 502 });
    emu.store.updateContact(someUser().id, { name: "Fails Twice" });
    await emu.webhooks.idle();
    expect(receiver.received).toHaveLength(2);
    expect(emu.webhookDeliveries).toMatchObject([{ status: "failed", attempts: 2, responseStatus: 502 }]);

    receiver.reset();
    emu.webhookDeliveries.length = 0;
    emu.webhooks.configure({ timeoutMs: 200 });
    receiver.respondWith({ status: 200, delayMs: 600 });
    emu.store.updateContact(someUser().id, { name: "Too Slow" });
    await emu.webhooks.idle();
    expect(receiver.received.map((r) => r.body.delivery_attempts)).toEqual([1, 2]);
    expect(emu.webhookDeliveries).toMatchObject([{ status: "delivered", attempts: 2 }]);

    receiver.reset();
    emu.webhookDeliveries.length = 0;
    receiver.respondWith({ status: 429 });
    emu.store.updateContact(someUser().id, { name: "Throttled" });
    await emu.webhooks.idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(1);
    expect(emu.webhookDeliveries).toMatchObject([{ status: "throttled", attempts: 1, responseStatus: 429 }]);
  });

  it("stops sending after a 410 until the URL is set again", async () => {
    receiver.respondWith({ status: 410 });
    emu.store.updateContact(someUser().id, { name: "Gone" });
    await emu.webhooks.idle();
    emu.store.updateContact(someUser().id, { name: "Not Sent" });
    await callEmulator(emu, "/_emulator/activity", { body: { share: 0.2 } });
    await emu.webhooks.idle();

    expect(receiver.received).toHaveLength(1);
    expect(emu.webhookDeliveries).toMatchObject([{ status: "gone", attempts: 1 }]);
    const state = await callEmulator<{ disabledReason: string | null; deliveries: unknown[] }>(emu, "/_emulator/webhooks");
    expect(state.body.disabledReason).toContain("410");
    expect(state.body.deliveries).toHaveLength(1);

    const reset = await callEmulator(emu, "/_emulator/webhooks", { body: { url: receiver.url } });
    expect(reset.status).toBe(200);
    emu.store.updateContact(someUser().id, { name: "Back Again" });
    await emu.webhooks.idle();
    expect(receiver.received).toHaveLength(2);
  });

  it("sends nothing when webhooks are disabled or the URL is removed", async () => {
    emu.webhooks.configure({ enabled: false });
    emu.store.updateContact(someUser().id, { name: "Quiet" });
    emu.webhooks.configure({ enabled: true });
    expect((await callEmulator(emu, "/_emulator/webhooks", { method: "DELETE" })).status).toBe(200);
    emu.store.updateContact(someUser().id, { name: "Quieter" });
    expect((await callEmulator(emu, "/_emulator/webhooks/ping", { body: {} })).status).toBe(409);
    await emu.webhooks.idle();
    expect(receiver.received).toHaveLength(0);
    expect(emu.webhookDeliveries).toHaveLength(0);
  });

  it("bursts 10,000 contact.user.updated notifications with bounded concurrency", async () => {
    const started = performance.now();
    const burst = await callEmulator<{ queued: number }>(emu, "/_emulator/webhooks/burst", { body: { count: 10_000 } });
    expect(burst.body.queued).toBe(10_000);
    await emu.webhooks.idle();
    const ms = performance.now() - started;
    console.log(`[emulator-webhooks] 10,000 notifications delivered in ${ms.toFixed(0)} ms (max ${receiver.maxInFlight()} in flight)`);

    expect(receiver.received).toHaveLength(10_000);
    expect(new Set(receiver.received.map((r) => r.body.id)).size).toBe(10_000);
    expect(receiver.received.every((r) => r.body.topic === "contact.user.updated" && r.body.data.item.role === "user")).toBe(true);
    expect(receiver.maxInFlight()).toBeLessThanOrEqual(emu.webhooks.state().concurrency);
    expect(emu.webhookDeliveries.filter((d) => d.status === "delivered")).toHaveLength(10_000);
  });
});
