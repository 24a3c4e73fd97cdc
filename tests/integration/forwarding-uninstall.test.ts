import { createHmac } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { alerts, answerDeliveries, intercomConnections } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { POST } from "@/app/api/webhooks/intercom/uninstall/route";
import { UNINSTALLED_REASON } from "@/lib/connections/uninstall-notification";
import { decryptSecret } from "@/lib/crypto/encryption";
import { resetEnvCache } from "@/lib/env";
import { saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { signedIdentity } from "../support/widget-identity";
import { recordWidgetAnswer } from "@/lib/widget/record-answer";
import { signIntercomBody } from "@/lib/webhooks/signature";
import { startWidgetSession } from "@/lib/widget/start-session";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

const SECRET = "holdfast-dev-secret"; // vitest env INTERCOM_CLIENT_SECRET

describe("Intercom uninstall notification", () => {
  const db = setupTestDb();
  const running: RunningEmulator[] = [];

  afterAll(async () => {
    await Promise.all(running.map((e) => e.close()));
  });

  /** An account connected to its own workspace, with one answer waiting to be delivered. */
  async function connectedAccount(label: string) {
    const emu = await startTestEmulator({ contactCount: 0 });
    running.push(emu);
    useEmulatorHosts(emu);
    const { account } = await createTestAccount(label);
    const conn = await connectAccountToEmulator(account.id, emu);
    const email = `${label.toLowerCase()}@example.com`;
    const secret = decryptSecret(account.widgetSecretEnc);
    const start = await startWidgetSession({ publicKey: account.publicKey, email, ...signedIdentity(secret, { email }) });
    if (!start.ok) throw new Error(start.error);
    const rating = start.flow.questions[2]!.id;
    expect(await saveQuestionMappings(account.id, [{ questionId: rating, intercomAttribute: "cancel_rating" }])).toEqual({ ok: true, saved: 1 });
    const answered = await recordWidgetAnswer(start.sessionId, { sessionToken: start.sessionToken, questionId: rating, rating: 3 });
    if (!answered.ok || !answered.deliveryId) throw new Error("no delivery");
    return { emu, account, conn, deliveryId: answered.deliveryId };
  }

  /** Signed as uninstall notices are: X-Body-Signature, hex HMAC-SHA256 of the raw body under the client secret. */
  const bodySignature = (body: string, secret = SECRET) => createHmac("sha256", secret).update(body).digest("hex");
  const notify = (body: string, headers: Record<string, string> = { "X-Body-Signature": bodySignature(body) }) =>
    POST(new Request("http://holdfast.test/api/webhooks/intercom/uninstall", { method: "POST", body, headers: { "Content-Type": "application/json", ...headers } }));

  async function connection(id: string) {
    const [row] = await db().select().from(intercomConnections).where(eq(intercomConnections.id, id));
    return row!;
  }

  async function openAlerts(accountId: string) {
    return db().select().from(alerts).where(and(eq(alerts.accountId, accountId), isNull(alerts.resolvedAt)));
  }

  async function waitFor(check: () => Promise<boolean> | boolean, ms = 5000) {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it("answers 400 with a reason to malformed notices and 413 to oversized ones, never 500", async () => {
    const cases: Array<[number, string, Record<string, string>?]> = [
      [400, "not json"],
      [400, "{}"],
      [400, '{"app_id": 42}'],
      [400, '{"app_id": ""}'],
      [400, "[]"],
      [400, "null"],
      [400, JSON.stringify({ app_id: "x".repeat(200) })],
      [413, JSON.stringify({ app_id: "a", pad: "x".repeat(20_000) })],
      [413, '{"app_id": "a"}', { "Content-Length": "999999999" }],
    ];
    for (const [status, body, headers] of cases) {
      const res = await notify(body, { "X-Body-Signature": bodySignature(body), ...headers });
      expect(res.status, body.slice(0, 40)).toBe(status);
      expect(((await res.json()) as { error: string }).error).toBeTruthy();
    }
  });

  it("answers 200 to a well-formed notice for a workspace Holdfast does not know, revealing nothing", async () => {
    const res = await notify(JSON.stringify({ app_id: "ws_nobody" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
  });

  it("refuses unsigned and wrongly signed notices with 401, before asking Intercom anything", async () => {
    const { emu, conn } = await connectedAccount("Unsigned");
    emu.revokeAll();
    emu.clearRequests();
    const body = JSON.stringify({ app_id: conn.workspaceId });
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /Missing X-Body-Signature or X-Hub-Signature/],
      [{ "X-Body-Signature": bodySignature('{"app_id": "other"}') }, /Invalid X-Body-Signature/],
      [{ "X-Body-Signature": bodySignature(body, "another-secret-123") }, /Invalid X-Body-Signature/],
      [{ "X-Body-Signature": `sha256=${bodySignature(body)}` }, /Invalid X-Body-Signature/],
      // The right HMAC in the wrong algorithm's place, and a valid one next to a forged one.
      [{ "X-Body-Signature": createHmac("sha1", SECRET).update(body).digest("hex") }, /Invalid X-Body-Signature/],
      [{ "X-Body-Signature": bodySignature(body), "X-Hub-Signature": signIntercomBody("forged", SECRET) }, /Invalid X-Hub-Signature/],
    ];
    for (const [headers, error] of cases) {
      const res = await notify(body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(error);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(emu.requests.filter((r) => r.path === "/me")).toEqual([]);
    expect(await connection(conn.id)).toMatchObject({ status: "connected" });
  });

  it("refuses every notice when no client secret is configured", async () => {
    const saved = process.env.INTERCOM_CLIENT_SECRET;
    process.env.INTERCOM_CLIENT_SECRET = "unset-client-secret";
    resetEnvCache();
    try {
      const body = JSON.stringify({ app_id: "ws_any" });
      const res = await notify(body, { "X-Body-Signature": bodySignature(body, "unset-client-secret") });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(/not configured/);
    } finally {
      process.env.INTERCOM_CLIENT_SECRET = saved;
      resetEnvCache();
    }
  });

  it("ignores a replayed notice: Intercom still accepts the token, so nothing changes", async () => {
    const { emu, account, conn, deliveryId } = await connectedAccount("Forged");
    emu.clearRequests();
    const res = await notify(JSON.stringify({ app_id: conn.workspaceId }));
    expect(res.status).toBe(200);
    await waitFor(() => emu.requests.some((r) => r.path === "/me" && r.status === 200));
    await new Promise((r) => setTimeout(r, 100));
    expect(await connection(conn.id)).toMatchObject({ status: "connected", statusReason: null });
    expect(await openAlerts(account.id)).toEqual([]);
    const [d] = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, deliveryId));
    expect(d).toMatchObject({ state: "pending" });
  });

  it("on a confirmed uninstall pauses the connection, keeps its token, mappings and deliveries, and raises the alert", async () => {
    const { emu, account, conn, deliveryId } = await connectedAccount("Uninstalled");
    emu.revokeAll();
    const res = await notify(JSON.stringify({ app_id: conn.workspaceId }));
    expect(res.status).toBe(200);
    await waitFor(async () => (await connection(conn.id)).status === "reconnect_required");
    const after = await connection(conn.id);
    expect(after).toMatchObject({ statusReason: UNINSTALLED_REASON, workspaceId: conn.workspaceId, accessTokenEnc: conn.accessTokenEnc });
    expect(emu.requests.filter((r) => r.path === "/me").map((r) => r.status)).toEqual([401]);
    expect(await openAlerts(account.id)).toEqual([
      expect.objectContaining({ kind: "connection_revoked", subject: "connection", fixUrl: "/settings/integrations/intercom" }),
    ]);
    const [d] = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, deliveryId));
    expect(d).toMatchObject({ state: "pending", attempts: 0 });

    // A repeated notice, signed the other way Intercom signs, is answered and changes nothing
    // (no second alert, no second call).
    const again = JSON.stringify({ app_id: conn.workspaceId });
    expect((await notify(again, { "X-Hub-Signature": signIntercomBody(again, SECRET) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(emu.requests.filter((r) => r.path === "/me")).toHaveLength(1);
    expect(await openAlerts(account.id)).toHaveLength(1);
  });
});
