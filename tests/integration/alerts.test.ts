import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts, alerts } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { getAlertSettings, saveAlertSettings, sendTestAlert } from "@/lib/alerts/alert-settings";
import { postAlertWebhook, testAlertPayload } from "@/lib/alerts/alert-webhook";
import { checkDeliveryFailureRate, checkFailureRates } from "@/lib/alerts/failure-rate";
import { dismissAlert, listOpenAlerts } from "@/lib/alerts/list-alerts";
import { raiseAlert, resolveAlert } from "@/lib/alerts/raise-alert";
import { PRIVATE_DESTINATION, webhookDestinationProblem } from "@/lib/alerts/webhook-destination";
import { completeIntercomConnect, startIntercomConnect } from "@/lib/connections/oauth-connect";
import { markReconnectRequired } from "@/lib/connections/intercom-connection";
import { decryptSecret, encryptSecret } from "@/lib/crypto/encryption";
import { resetEnvCache } from "@/lib/env";
import { listIntercomContactAttributes } from "@/lib/mappings/property-mappings";
import { setupTestDb } from "../support/db";
import { mapCommentQuestion, seedDelivery } from "../support/delivery-fixtures";
import { approveConsent } from "../support/emulator-consent";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

type Received = { headers: IncomingMessage["headers"]; body: string };

/** A customer's alert receiver: records every POST and answers as the test tells it to. */
async function startReceiver() {
  const received: Received[] = [];
  let respond: "ok" | "error" | "hang" = "ok";
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (respond === "hang") return;
      res.writeHead(respond === "ok" ? 204 : 500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/holdfast-alerts`,
    received,
    answerWith: (mode: typeof respond) => (respond = mode),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a receiver following docs/alerts.md does with the header. */
function verifySignature(secret: string, header: string | string[] | undefined, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header));
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(`${match[1]}.${body}`).digest();
  const fresh = Math.abs(Date.now() / 1000 - Number(match[1])) < 300;
  return fresh && timingSafeEqual(expected, Buffer.from(match[2]!, "hex"));
}

async function waitFor<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("alerts", () => {
  const db = setupTestDb();
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const emulators: RunningEmulator[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await receiver?.close();
    await Promise.all(emulators.map((e) => e.close()));
  });

  const alertRows = (accountId: string, subject: string) =>
    db().select().from(alerts).where(and(eq(alerts.accountId, accountId), eq(alerts.subject, subject)));

  it("keeps one open alert per subject, and opens a fresh one after it was resolved", async () => {
    const { account } = await createTestAccount("AlertsOnce");
    const { account: other } = await createTestAccount("AlertsOther");
    const alert = { kind: "mapping_broken" as const, subject: "mapping:q1", message: "cancel_reason was archived", fixUrl: "/x" };

    await raiseAlert(account.id, alert);
    await raiseAlert(account.id, { ...alert, message: "raised again" });
    await raiseAlert(other.id, alert);
    expect(await alertRows(account.id, "mapping:q1")).toHaveLength(1);
    expect((await listOpenAlerts(account.id)).map((a) => a.message)).toEqual(["cancel_reason was archived"]);
    expect(await listOpenAlerts(other.id)).toHaveLength(1);

    await resolveAlert(account.id, "mapping:q1");
    expect(await listOpenAlerts(account.id)).toEqual([]);
    // Resolving one account's alert leaves the other tenant's alone.
    expect(await listOpenAlerts(other.id)).toHaveLength(1);

    await raiseAlert(account.id, { ...alert, message: "broken again" });
    const rows = await alertRows(account.id, "mapping:q1");
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.resolvedAt === null).map((r) => r.message)).toEqual(["broken again"]);
  });

  it("lets an admin dismiss a failure-rate alert but not one that closes when fixed", async () => {
    const { account } = await createTestAccount("AlertsDismiss");
    const { account: other } = await createTestAccount("AlertsDismissOther");
    await raiseAlert(account.id, { kind: "failure_rate", subject: "failure-rate", message: "Too many failures" });
    await raiseAlert(account.id, { kind: "connection_revoked", subject: "connection", message: "Token revoked" });
    const open = await listOpenAlerts(account.id);
    const byKind = Object.fromEntries(open.map((a) => [a.kind, a.id]));

    expect(await dismissAlert(other.id, byKind.failure_rate!)).toEqual({ ok: false, error: "This alert is already closed." });
    expect(await dismissAlert(account.id, byKind.connection_revoked!)).toMatchObject({ ok: false });
    expect(await dismissAlert(account.id, byKind.failure_rate!)).toEqual({ ok: true });
    expect((await listOpenAlerts(account.id)).map((a) => a.kind)).toEqual(["connection_revoked"]);
  });

  it("validates the webhook URL and threshold, and keeps the signing secret from the first save", async () => {
    const { account } = await createTestAccount("AlertsSettings");
    expect(await getAlertSettings(account.id)).toEqual({ webhookUrl: null, signingSecret: null, failureRatePct: 20 });

    for (const webhookUrl of ["ftp://example.com/x", "http://example.com/hook", "not a url", "https://user:pw@example.com/"]) {
      const result = await saveAlertSettings(account.id, { webhookUrl, failureRatePct: 20 });
      expect(result, webhookUrl).toMatchObject({ ok: false });
    }
    expect(await saveAlertSettings(account.id, { webhookUrl: "", failureRatePct: 0 })).toEqual({
      ok: false,
      error: "The threshold must be between 1 and 100%.",
    });
    expect((await getAlertSettings(account.id)).signingSecret).toBeNull();

    const first = await saveAlertSettings(account.id, { webhookUrl: "https://hooks.example.com/holdfast", failureRatePct: "35" });
    expect(first).toMatchObject({ ok: true, settings: { webhookUrl: "https://hooks.example.com/holdfast", failureRatePct: 35 } });
    const secret = first.ok ? first.settings.signingSecret : null;
    expect(secret).toMatch(/^hfwhsec_[\w-]{32}$/);
    // Encrypted at rest, not stored as typed.
    const [stored] = await db().select().from(accounts).where(eq(accounts.id, account.id));
    expect(stored!.alertWebhookSecretEnc).not.toContain(secret!);
    expect(decryptSecret(stored!.alertWebhookSecretEnc!)).toBe(secret);

    await saveAlertSettings(account.id, { webhookUrl: "", failureRatePct: 35 });
    expect(await getAlertSettings(account.id)).toEqual({ webhookUrl: null, signingSecret: secret, failureRatePct: 35 });
    const again = await saveAlertSettings(account.id, { webhookUrl: receiver.url, failureRatePct: 35 });
    expect(again).toMatchObject({ ok: true, settings: { webhookUrl: receiver.url, signingSecret: secret } });
  });

  it("POSTs a newly opened alert to the webhook with a signature the receiver can verify, once per open alert", async () => {
    const { account } = await createTestAccount("AlertsHook");
    const saved = await saveAlertSettings(account.id, { webhookUrl: receiver.url, failureRatePct: 20 });
    if (!saved.ok) throw new Error(saved.error);
    receiver.answerWith("ok");
    const before = receiver.received.length;

    await raiseAlert(account.id, {
      kind: "mapping_broken",
      subject: "mapping:hook",
      message: "The attribute cancel_reason was archived in Intercom.",
      fixUrl: "/settings/integrations/intercom/questions",
    });
    await raiseAlert(account.id, { kind: "mapping_broken", subject: "mapping:hook", message: "still broken" });
    const [row] = await waitFor(
      () => alertRows(account.id, "mapping:hook"),
      ([r]) => r?.webhookDeliveredAt != null,
    );
    expect(row!.webhookDeliveredAt).toBeInstanceOf(Date);
    expect(row!.webhookError).toBeNull();

    const mine = receiver.received.slice(before);
    expect(mine).toHaveLength(1);
    const [request] = mine;
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(verifySignature(saved.settings.signingSecret!, request!.headers["holdfast-signature"], request!.body)).toBe(true);
    expect(verifySignature("hfwhsec_someone-elses-secret", request!.headers["holdfast-signature"], request!.body)).toBe(false);
    expect(JSON.parse(request!.body)).toEqual({
      type: "holdfast.alert",
      id: row!.id,
      kind: "mapping_broken",
      subject: "mapping:hook",
      message: "The attribute cancel_reason was archived in Intercom.",
      fix_url: "http://127.0.0.1:3999/settings/integrations/intercom/questions",
      account_id: account.id,
      created_at: row!.createdAt.toISOString(),
    });
  });

  it("records a receiver's error or silence on the alert without throwing or holding up the caller", async () => {
    const { account } = await createTestAccount("AlertsHookFail");
    await saveAlertSettings(account.id, { webhookUrl: receiver.url, failureRatePct: 20 });

    receiver.answerWith("error");
    await raiseAlert(account.id, { kind: "connection_revoked", subject: "connection", message: "Token revoked" });
    const [failed] = await waitFor(() => alertRows(account.id, "connection"), ([r]) => r?.webhookError != null);
    expect(failed).toMatchObject({ webhookError: "The receiver answered HTTP 500", webhookDeliveredAt: null, resolvedAt: null });

    receiver.answerWith("hang");
    const started = Date.now();
    await raiseAlert(account.id, { kind: "mapping_broken", subject: "mapping:slow", message: "Broken" });
    expect(Date.now() - started).toBeLessThan(1000);
    const [slow] = await waitFor(() => alertRows(account.id, "mapping:slow"), ([r]) => r?.webhookError != null, 9000);
    expect(slow!.webhookError).toBe("The receiver did not answer within 5 s");

    // Nobody listening at all.
    const closed = await startReceiver();
    await closed.close();
    await saveAlertSettings(account.id, { webhookUrl: closed.url, failureRatePct: 20 });
    await raiseAlert(account.id, { kind: "failure_rate", subject: "failure-rate", message: "Many failures" });
    const [unreachable] = await waitFor(() => alertRows(account.id, "failure-rate"), ([r]) => r?.webhookError != null);
    // Which socket error it was would tell an admin what listens where: one fixed wording.
    expect(unreachable!.webhookError).toBe("Could not reach the receiver (connection failed)");
    receiver.answerWith("ok");
  }, 20_000);

  it("sends a signed test alert on request and reports what the receiver answered", async () => {
    const { account } = await createTestAccount("AlertsTest");
    expect(await sendTestAlert(account.id)).toEqual({ ok: false, error: "Save a webhook URL first." });
    const saved = await saveAlertSettings(account.id, { webhookUrl: receiver.url, failureRatePct: 20 });
    if (!saved.ok) throw new Error(saved.error);

    receiver.answerWith("ok");
    const before = receiver.received.length;
    expect(await sendTestAlert(account.id)).toEqual({ ok: true, status: 204 });
    const request = receiver.received[before]!;
    expect(verifySignature(saved.settings.signingSecret!, request.headers["holdfast-signature"], request.body)).toBe(true);
    expect(JSON.parse(request.body)).toMatchObject({ type: "holdfast.alert", kind: "test", account_id: account.id });
    // A test is not an alert the admin has to deal with.
    expect(await listOpenAlerts(account.id)).toEqual([]);

    receiver.answerWith("error");
    expect(await sendTestAlert(account.id)).toEqual({ ok: false, error: "The receiver answered HTTP 500" });
    receiver.answerWith("ok");
  });

  it("closes the connection alert when the admin reconnects, so the next revocation alerts again", async () => {
    const emulator = await startTestEmulator({ contactCount: 0 });
    emulators.push(emulator);
    useEmulatorHosts(emulator);
    const { account, admin } = await createTestAccount("AlertsReconnect");
    const conn = await connectAccountToEmulator(account.id, emulator);
    await markReconnectRequired(conn, "Intercom rejected Holdfast's access token (token_revoked)");
    expect((await listOpenAlerts(account.id)).map((a) => a.kind)).toEqual(["connection_revoked"]);

    const { url } = await startIntercomConnect({ accountId: account.id, adminId: admin.id });
    const consent = await approveConsent(url);
    const result = await completeIntercomConnect({ accountId: account.id, adminId: admin.id, code: consent.code, state: consent.state });
    expect(result).toMatchObject({ ok: true });
    expect(await listOpenAlerts(account.id)).toEqual([]);

    await markReconnectRequired(conn, "Intercom rejected Holdfast's access token (token_revoked)");
    expect((await listOpenAlerts(account.id)).map((a) => a.kind)).toEqual(["connection_revoked"]);
    expect(await alertRows(account.id, "connection")).toHaveLength(2);
  });

  it("raises the connection alert when any feature meets a revoked token, not only deliveries", async () => {
    const emulator = await startTestEmulator({ contactCount: 0 });
    emulators.push(emulator);
    useEmulatorHosts(emulator);
    const { account } = await createTestAccount("AlertsAnyCall");
    await connectAccountToEmulator(account.id, emulator);
    emulator.revokeAll();

    const attributes = await listIntercomContactAttributes(account.id);

    expect(attributes).toMatchObject({ ok: false, reason: "reconnect_required" });
    expect((await listOpenAlerts(account.id)).map((a) => a.kind)).toEqual(["connection_revoked"]);
  });

  describe("with private destinations refused, as in production", () => {
    beforeAll(() => {
      process.env.ALERT_WEBHOOK_ALLOW_PRIVATE = "false";
      resetEnvCache();
    });
    afterAll(() => {
      delete process.env.ALERT_WEBHOOK_ALLOW_PRIVATE;
      resetEnvCache();
    });

    // Every one of these is refused before anything connects: no test traffic leaves 127.0.0.1.
    const internal = (port: number) => [
      "https://169.254.169.254/latest/meta-data/",
      "https://10.0.0.1/hook",
      `https://127.0.0.1:${port}/x`,
      "https://172.16.5.4/hook",
      "https://192.168.0.10/hook",
      "https://100.64.0.1/hook",
      "https://0.0.0.0/hook",
      "https://224.0.0.1/hook",
      "https://[::1]/hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://[::ffff:a9fe:a9fe]/latest/meta-data/",
      "https://[fe80::1]/hook",
      "https://[fd00::1]/hook",
      "https://0x7f.1/hook",
      "https://2130706433/hook",
      // A host name is judged by what it resolves to (here from /etc/hosts).
      `https://localhost:${port}/x`,
    ];

    it("refuses loopback, private, link-local, CGNAT and mapped addresses, and names resolving to them, at save time", async () => {
      const { account } = await createTestAccount("AlertsPrivateSave");
      const port = Number(new URL(receiver.url).port);
      for (const webhookUrl of internal(port)) {
        expect(await saveAlertSettings(account.id, { webhookUrl, failureRatePct: 20 }), webhookUrl).toEqual({ ok: false, error: PRIVATE_DESTINATION });
      }
      expect(await getAlertSettings(account.id)).toMatchObject({ webhookUrl: null, signingSecret: null });
    });

    it("checks again at send time, so a URL that became internal is never connected to", async () => {
      const { account } = await createTestAccount("AlertsPrivateSend");
      const port = Number(new URL(receiver.url).port);
      receiver.answerWith("ok");
      const before = receiver.received.length;
      for (const webhookUrl of [receiver.url, `https://localhost:${port}/x`]) {
        // Stored as it might have been before this check existed, or before its DNS changed.
        await db().update(accounts).set({ alertWebhookUrl: webhookUrl, alertWebhookSecretEnc: encryptSecret("hfwhsec_test") }).where(eq(accounts.id, account.id));
        expect(await sendTestAlert(account.id), webhookUrl).toEqual({ ok: false, error: `Not sent: ${PRIVATE_DESTINATION}` });
      }
      await raiseAlert(account.id, { kind: "mapping_broken", subject: "mapping:private", message: "Broken" });
      const [row] = await waitFor(() => alertRows(account.id, "mapping:private"), ([r]) => r?.webhookError != null);
      expect(row).toMatchObject({ webhookError: `Not sent: ${PRIVATE_DESTINATION}`, webhookDeliveredAt: null });
      expect(receiver.received.length).toBe(before);
    });

    it("connects only to the addresses it checked when the name is looked up again at send time (DNS rebinding)", async () => {
      const url = `https://hooks.rebinding.test:${new URL(receiver.url).port}/x`;
      const answers = [[{ address: "93.184.215.14", family: 4 }], [{ address: "127.0.0.1", family: 4 }]];
      const rebinding = async () => answers.shift() ?? [];
      const before = receiver.received.length;

      // Public when the admin saves it...
      expect(await webhookDestinationProblem(new URL(url), rebinding)).toBeNull();
      // ...this host when the alert is sent: refused instead of connected.
      expect(await postAlertWebhook(url, "hfwhsec_test", testAlertPayload("acct"), rebinding)).toEqual({
        ok: false,
        error: `Not sent: ${PRIVATE_DESTINATION}`,
      });
      expect(receiver.received.length).toBe(before);
    });
  });

  describe("failure rate of the last hour", () => {
    async function connectedAccount(label: string) {
      const emulator = await startTestEmulator({ contactCount: 3 });
      emulators.push(emulator);
      useEmulatorHosts(emulator);
      const { account } = await createTestAccount(label);
      await connectAccountToEmulator(account.id, emulator);
      const questionId = await mapCommentQuestion(account);
      let n = 0;
      const seed = (patch: Parameters<typeof seedDelivery>[3]["patch"]) =>
        seedDelivery(account, emulator, questionId, { email: `s${++n}@${label.toLowerCase()}.test`, text: `answer ${n}`, patch });
      return { account, seed };
    }
    const delivered = { state: "delivered" as const, attempts: 1, deliveredAt: new Date(), updatedAt: new Date() };
    const failed = () => ({ state: "failed" as const, attempts: 5, lastErrorCode: "server", updatedAt: new Date() });
    const openFailureAlert = async (accountId: string) =>
      db()
        .select()
        .from(alerts)
        .where(and(eq(alerts.accountId, accountId), eq(alerts.subject, "failure-rate"), isNull(alerts.resolvedAt)));

    it("raises at the threshold with at least five attempts, and resolves when the rate drops below it", async () => {
      const { account, seed } = await connectedAccount("RateUp");
      for (let i = 0; i < 3; i++) await seed(delivered);
      await seed(failed());
      // Not attempted yet, or attempted more than an hour ago: neither counts.
      await seed({ state: "pending", attempts: 0 });
      await seed({ ...failed(), updatedAt: new Date(Date.now() - 61 * 60 * 1000) });

      expect(await checkDeliveryFailureRate(account.id)).toEqual({ attempted: 4, failing: 1, ratePct: 25, thresholdPct: 20, alerting: false });
      expect(await openFailureAlert(account.id)).toEqual([]);

      await seed({ state: "needs_attention", attempts: 1, attentionReason: "contact_not_found", updatedAt: new Date() });
      expect(await checkDeliveryFailureRate(account.id)).toEqual({ attempted: 5, failing: 2, ratePct: 40, thresholdPct: 20, alerting: true });
      const [open] = await openFailureAlert(account.id);
      expect(open).toMatchObject({
        kind: "failure_rate",
        message: "2 of 5 answers sent to Intercom in the last hour failed, need attention or are unconfirmed (40%; your alert threshold is 20%).",
      });
      expect(open!.fixUrl).toMatch(/^\/deliveries\?state=(failed|needs_attention)$/);

      // The admin raises the threshold: the next check closes the alert.
      await saveAlertSettings(account.id, { webhookUrl: "", failureRatePct: 50 });
      expect(await checkDeliveryFailureRate(account.id)).toMatchObject({ ratePct: 40, thresholdPct: 50, alerting: false });
      expect(await openFailureAlert(account.id)).toEqual([]);
    });

    it("the cron sweep raises and resolves per account; a dismissed alert stays dismissed until new answers fail", async () => {
      const { account, seed } = await connectedAccount("RateSweep");
      const { account: healthy, seed: seedHealthy } = await connectedAccount("RateHealthy");
      const failing = [];
      for (let i = 0; i < 5; i++) failing.push(await seed(failed()));
      for (let i = 0; i < 5; i++) await seedHealthy(delivered);

      await checkFailureRates();
      const [open] = await openFailureAlert(account.id);
      expect(open).toMatchObject({ fixUrl: "/deliveries?state=failed" });
      expect(await openFailureAlert(healthy.id)).toEqual([]);

      expect(await dismissAlert(account.id, open!.id)).toEqual({ ok: true });
      await checkFailureRates();
      expect(await openFailureAlert(account.id)).toEqual([]);

      for (let i = 0; i < 5; i++) await seed(failed());
      await checkFailureRates();
      expect(await openFailureAlert(account.id)).toHaveLength(1);
    });
  });
});
