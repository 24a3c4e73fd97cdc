import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { answerDeliveries } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import type { AdminSession } from "@/lib/auth/session";
import { getConnection } from "@/lib/connections/intercom-connection";
import { disconnectIntercom } from "@/lib/connections/disconnect";
import { handleIntercomCallback } from "@/lib/connections/oauth-callback";
import { startIntercomConnect } from "@/lib/connections/oauth-connect";
import { OAUTH_STATE_COOKIE } from "@/lib/connections/oauth-state";
import { oauthRedirectUri } from "@/lib/intercom/oauth";
import { kickDeliveries } from "@/lib/widget/delivery-kick";
import { setupTestDb } from "../support/db";
import { mapCommentQuestion, seedDelivery } from "../support/delivery-fixtures";
import { approveConsent } from "../support/emulator-consent";
import { createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// Nothing here runs the cron or drains by hand: only the callback can send what waited.
describe("reconnecting Intercom sends the answers that waited", () => {
  const db = setupTestDb();
  const running: RunningEmulator[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.close()));
  });

  /** Consent approved in the emulator, then the callback as the browser would hit it. */
  async function connectThroughCallback(session: AdminSession) {
    const { state, url } = await startIntercomConnect(session);
    const consent = await approveConsent(url);
    const callback = new URL(oauthRedirectUri());
    callback.searchParams.set("code", consent.code ?? "");
    callback.searchParams.set("state", consent.state ?? "");
    const req = new NextRequest(callback, { headers: { cookie: `${OAUTH_STATE_COOKIE}=${state}` } });
    const res = await handleIntercomCallback(req, async () => session);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get("location") ?? "").searchParams.get("connected")).toBe("1");
  }

  async function connectedAccount(label: string) {
    const emu = await startTestEmulator({ contactCount: 0 });
    running.push(emu);
    useEmulatorHosts(emu);
    const { account, admin } = await createTestAccount(label);
    const session = { accountId: account.id, adminId: admin.id };
    await connectThroughCallback(session);
    const questionId = await mapCommentQuestion(account);
    return { emu, account, session, questionId };
  }

  async function deliveryState(id: string) {
    const [row] = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, id));
    return row!;
  }

  async function waitFor(check: () => Promise<boolean> | boolean, ms = 10_000) {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("after Intercom revoked the token: Reconnect Intercom delivers the answer at once", async () => {
    const { emu, account, session, questionId } = await connectedAccount("Revoked");
    emu.revokeAll();
    const { deliveryId, contactId } = await seedDelivery(account, emu, questionId, { email: "revoked@example.com", text: "Too pricey" });
    // The widget's after-response kick meets the 401: the connection pauses, the answer waits.
    await kickDeliveries(account.id);
    expect(await getConnection(account.id)).toMatchObject({ status: "reconnect_required" });
    expect(await deliveryState(deliveryId)).toMatchObject({ state: "pending" });

    await connectThroughCallback(session);
    await waitFor(async () => (await deliveryState(deliveryId)).state === "delivered");
    expect(emu.store.getContact(contactId)?.contact.custom_attributes.cancel_comment).toBe("Too pricey");
  });

  // The widget kicks a drain after every answer; one that arrives while a drain runs only asks it
  // for another pass. The kick must still settle after that pass, not at once.
  it("a kick while a drain is running settles after the pass that sends its answer", async () => {
    const { emu, account, questionId } = await connectedAccount("Joined kick");
    const first = await seedDelivery(account, emu, questionId, { email: "first@example.com", text: "Slow PUT" });
    emu.faults.hang({ ms: 600, match: { method: "PUT" } });
    const draining = kickDeliveries(account.id);
    // Claimed (its next attempt pushed out by the claim's lease) and now held up in the PUT.
    await waitFor(async () => (await deliveryState(first.deliveryId)).nextAttemptAt.getTime() > Date.now());
    const second = await seedDelivery(account, emu, questionId, { email: "second@example.com", text: "Joined" });
    await kickDeliveries(account.id);
    expect(await deliveryState(second.deliveryId)).toMatchObject({ state: "delivered" });
    await draining;
    expect(await deliveryState(first.deliveryId)).toMatchObject({ state: "delivered" });
  });

  it("after Disconnect: connecting again delivers the answers given meanwhile", async () => {
    const { emu, account, session, questionId } = await connectedAccount("Disconnected");
    expect(await disconnectIntercom(account.id)).toMatchObject({ ok: true });
    const { deliveryId, contactId } = await seedDelivery(account, emu, questionId, { email: "away@example.com", text: "Missing exports" });
    await kickDeliveries(account.id);
    expect(await deliveryState(deliveryId)).toMatchObject({ state: "pending", attempts: 0 });

    await connectThroughCallback(session);
    await waitFor(async () => (await deliveryState(deliveryId)).state === "delivered");
    expect(emu.store.getContact(contactId)?.contact.custom_attributes.cancel_comment).toBe("Missing exports");
  });
});
