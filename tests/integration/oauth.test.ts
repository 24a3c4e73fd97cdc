import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { GET as callbackRoute } from "@/app/api/integrations/intercom/callback/route";
import {
  customProperties,
  intercomConnections,
  oauthStates,
  propertyMappings,
  questionMappings,
  questions,
  subscribers,
  syncState,
} from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/encryption";
import { getConnection } from "@/lib/connections/intercom-connection";
import { disconnectIntercom } from "@/lib/connections/disconnect";
import { completeIntercomConnect, startIntercomConnect } from "@/lib/connections/oauth-connect";
import { hashState, OAUTH_STATE_COOKIE } from "@/lib/connections/oauth-state";
import { createIntercomClient } from "@/lib/intercom/client";
import { IntercomError } from "@/lib/intercom/errors";
import { oauthRedirectUri } from "@/lib/intercom/oauth";
import { setupTestDb } from "../support/db";
import { approveConsent, denyConsent } from "../support/emulator-consent";
import { createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

type Emulator = Awaited<ReturnType<typeof startTestEmulator>>;

describe("connecting Intercom with OAuth", () => {
  const db = setupTestDb();
  const running: Emulator[] = [];

  // Each test gets its own workspace: a live workspace belongs to one account only.
  async function emulator(opts: Parameters<typeof startTestEmulator>[0] = {}) {
    const emu = await startTestEmulator({ contactCount: 0, ...opts });
    running.push(emu);
    useEmulatorHosts(emu);
    return emu;
  }

  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.close()));
  });

  function tokenExchanges(emu: Emulator) {
    return emu.requests.filter((r) => r.path === "/auth/eagle/token").length;
  }

  async function begin(label: string) {
    const { account, admin } = await createTestAccount(label);
    const ids = { accountId: account.id, adminId: admin.id };
    const { state, url } = await startIntercomConnect(ids);
    return { ...ids, state, url };
  }

  it("connects the admin's workspace and stores its token encrypted", async () => {
    const emu = await emulator({ workspace: { name: "Acme Support", region: "EU", timezone: "Europe/Dublin" } });
    const { accountId, adminId, state, url } = await begin("Happy");
    expect(new URL(url).searchParams.get("redirect_uri")).toBe(oauthRedirectUri());

    const consent = await approveConsent(url);
    expect(consent.location.href.startsWith(oauthRedirectUri())).toBe(true);
    expect(consent.state).toBe(state);

    const result = await completeIntercomConnect({ accountId, adminId, code: consent.code, state: consent.state });
    expect(result).toMatchObject({ ok: true });

    const conn = await getConnection(accountId);
    expect(conn).toMatchObject({
      workspaceId: emu.workspace.id,
      workspaceName: "Acme Support",
      region: "EU",
      timezone: "Europe/Dublin",
      status: "connected",
      statusReason: null,
      connectedBy: adminId,
    });
    const stored = conn?.accessTokenEnc ?? "";
    const token = decryptSecret(stored);
    expect(stored).not.toContain(token);
    const me = await createIntercomClient({ token, region: "EU" }).me();
    expect(me.app.id_code).toBe(emu.workspace.id);

    const [sync] = await db().select().from(syncState).where(eq(syncState.connectionId, conn?.id ?? ""));
    expect(sync?.fullSyncRequested).toBe(true);
    // Only the hash of the state is kept, and it is spent.
    const [row] = await db().select().from(oauthStates).where(eq(oauthStates.stateHash, hashState(state)));
    expect(row?.usedAt).toBeInstanceOf(Date);
  });

  it("stores no timezone when /me reports none, rather than guessing UTC", async () => {
    // 14 hours east of UTC: a UTC day bound would make day-truncated searches skip up to 14 hours.
    const emu = await emulator({ workspace: { timezone: "Pacific/Kiritimati" } });
    emu.configure({ meReportsTimezone: false });
    const { accountId, adminId, url } = await begin("No timezone");
    const consent = await approveConsent(url);
    expect(await completeIntercomConnect({ accountId, adminId, code: consent.code, state: consent.state })).toMatchObject({ ok: true });
    expect(await getConnection(accountId)).toMatchObject({ workspaceId: emu.workspace.id, timezone: null, status: "connected" });
  });

  it("refuses a state it never issued, before talking to Intercom", async () => {
    const emu = await emulator();
    const { accountId, adminId, url } = await begin("Forged");
    const consent = await approveConsent(url);
    const result = await completeIntercomConnect({ accountId, adminId, code: consent.code, state: "forged-state" });
    expect(result).toMatchObject({ ok: false, code: "state_mismatch" });
    expect(await getConnection(accountId)).toBeNull();
    expect(tokenExchanges(emu)).toBe(0);
  });

  it("accepts a state once: a replayed callback never reaches the token exchange", async () => {
    const emu = await emulator();
    const { accountId, adminId, url } = await begin("Replay");
    const consent = await approveConsent(url);
    const input = { accountId, adminId, code: consent.code, state: consent.state };
    expect(await completeIntercomConnect(input)).toMatchObject({ ok: true });
    expect(await completeIntercomConnect(input)).toMatchObject({ ok: false, code: "state_replayed" });
    expect(tokenExchanges(emu)).toBe(1);
  });

  it("refuses a state older than ten minutes", async () => {
    const emu = await emulator();
    const { accountId, adminId, state, url } = await begin("Expired");
    const consent = await approveConsent(url);
    await db()
      .update(oauthStates)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(oauthStates.stateHash, hashState(state)));
    const result = await completeIntercomConnect({ accountId, adminId, code: consent.code, state });
    expect(result).toMatchObject({ ok: false, code: "state_expired" });
    expect(await getConnection(accountId)).toBeNull();
    expect(tokenExchanges(emu)).toBe(0);
  });

  it("refuses a state issued to another admin, and leaves it usable by its owner", async () => {
    const emu = await emulator();
    const victim = await begin("Victim");
    const attacker = await createTestAccount("Attacker");
    const consent = await approveConsent(victim.url);
    const stolen = await completeIntercomConnect({
      accountId: attacker.account.id,
      adminId: attacker.admin.id,
      code: consent.code,
      state: victim.state,
    });
    expect(stolen).toMatchObject({ ok: false, code: "state_mismatch" });
    expect(await getConnection(attacker.account.id)).toBeNull();
    expect(tokenExchanges(emu)).toBe(0);

    const own = await completeIntercomConnect({ ...victim, code: consent.code, state: victim.state });
    expect(own).toMatchObject({ ok: true });
  });

  it("reports declined consent and spends the state", async () => {
    const emu = await emulator();
    const { accountId, adminId, state, url } = await begin("Denied");
    const consent = await denyConsent(url);
    expect(consent.code).toBeNull();
    expect(consent.error).toBeTruthy();
    const input = { accountId, adminId, state: consent.state, error: consent.error, code: consent.code };
    expect(await completeIntercomConnect(input)).toMatchObject({ ok: false, code: "denied" });
    expect(await completeIntercomConnect({ ...input, error: null, code: "late-code" })).toMatchObject({
      ok: false,
      code: "state_replayed",
    });
    expect(consent.state).toBe(state);
    expect(await getConnection(accountId)).toBeNull();
    expect(tokenExchanges(emu)).toBe(0);
  });

  it("reports an authorization code Intercom rejects (already used) and connects nothing", async () => {
    await emulator();
    const first = await begin("Code A");
    const consent = await approveConsent(first.url);
    expect(await completeIntercomConnect({ ...first, code: consent.code, state: consent.state })).toMatchObject({ ok: true });

    const second = await begin("Code B");
    const reused = await completeIntercomConnect({ ...second, code: consent.code, state: second.state });
    expect(reused).toMatchObject({ ok: false, code: "bad_code" });
    expect(await getConnection(second.accountId)).toBeNull();
  });

  it("reports Intercom being down during the token exchange without connecting", async () => {
    const emu = await emulator();
    const { accountId, adminId, url } = await begin("Down");
    const consent = await approveConsent(url);
    emu.faults.inject({ status: 502, count: 5, match: { pathPrefix: "/auth/eagle/token" } });
    const result = await completeIntercomConnect({ accountId, adminId, code: consent.code, state: consent.state });
    expect(result).toMatchObject({ ok: false, code: "intercom_unreachable" });
    expect(await getConnection(accountId)).toBeNull();
  });

  it("refuses a workspace that is already connected to another account", async () => {
    const emu = await emulator();
    const owner = await begin("Owner");
    const ownerConsent = await approveConsent(owner.url);
    expect(await completeIntercomConnect({ ...owner, code: ownerConsent.code, state: ownerConsent.state })).toMatchObject({
      ok: true,
    });

    const other = await begin("Other");
    const otherConsent = await approveConsent(other.url);
    const result = await completeIntercomConnect({ ...other, code: otherConsent.code, state: otherConsent.state });
    expect(result).toMatchObject({ ok: false, code: "workspace_taken" });
    expect(await getConnection(other.accountId)).toBeNull();
    expect(await getConnection(owner.accountId)).toMatchObject({ workspaceId: emu.workspace.id, status: "connected" });
  });

  async function linkSubscriber(accountId: string, connectionId: string) {
    const [sub] = await db()
      .insert(subscribers)
      .values({
        accountId,
        email: "ana@example.com",
        emailKey: "ana@example.com",
        intercomContactId: "6762f0d01bb69f9f2193bb7d",
        intercomMatch: "matched",
        intercomCandidates: 1,
        intercomLinkedAt: new Date(),
      })
      .returning();
    await db().update(syncState).set({ watermark: 1_734_537_243, fullSyncRequested: false }).where(eq(syncState.connectionId, connectionId));
    return sub?.id ?? "";
  }

  async function syncRow(connectionId: string) {
    const [row] = await db().select().from(syncState).where(eq(syncState.connectionId, connectionId));
    return row;
  }

  it("reconnecting the same workspace clears reconnect-required and keeps the row, links and watermark", async () => {
    await emulator();
    const first = await begin("Reconnect");
    const c1 = await approveConsent(first.url);
    expect(await completeIntercomConnect({ ...first, code: c1.code, state: c1.state })).toMatchObject({ ok: true });
    const before = await getConnection(first.accountId);
    const subscriberId = await linkSubscriber(first.accountId, before?.id ?? "");
    await db()
      .update(intercomConnections)
      .set({ status: "reconnect_required", statusReason: "Access Token Invalid (unauthorized)" })
      .where(eq(intercomConnections.accountId, first.accountId));

    const { state, url } = await startIntercomConnect(first);
    const c2 = await approveConsent(url);
    expect(await completeIntercomConnect({ ...first, code: c2.code, state })).toMatchObject({ ok: true });
    const after = await getConnection(first.accountId);
    expect(after).toMatchObject({ id: before?.id, status: "connected", statusReason: null });
    expect(after?.accessTokenEnc).not.toBe(before?.accessTokenEnc);
    expect(await syncRow(after?.id ?? "")).toMatchObject({ watermark: 1_734_537_243, fullSyncRequested: true });
    const [sub] = await db().select().from(subscribers).where(eq(subscribers.id, subscriberId));
    expect(sub).toMatchObject({ intercomContactId: "6762f0d01bb69f9f2193bb7d", intercomMatch: "matched" });
  });

  it("connecting a different workspace forgets the old workspace's contact links and watermark", async () => {
    await emulator();
    const admin = await begin("Switch");
    const c1 = await approveConsent(admin.url);
    expect(await completeIntercomConnect({ ...admin, code: c1.code, state: c1.state })).toMatchObject({ ok: true });
    const before = await getConnection(admin.accountId);
    const subscriberId = await linkSubscriber(admin.accountId, before?.id ?? "");
    await disconnectIntercom(admin.accountId);

    const other = await emulator({ workspace: { name: "Second Workspace" } });
    const { state, url } = await startIntercomConnect(admin);
    const c2 = await approveConsent(url);
    expect(await completeIntercomConnect({ ...admin, code: c2.code, state })).toMatchObject({ ok: true });
    expect(await getConnection(admin.accountId)).toMatchObject({ id: before?.id, workspaceId: other.workspace.id, workspaceName: "Second Workspace" });
    expect(await syncRow(before?.id ?? "")).toMatchObject({ watermark: null, fullSyncRequested: true });
    const [sub] = await db().select().from(subscribers).where(eq(subscribers.id, subscriberId));
    expect(sub).toMatchObject({ intercomContactId: null, intercomMatch: "none", intercomLinkedAt: null });
  });

  it("lets exactly one of two accounts finishing at the same moment take a workspace", async () => {
    const emu = await emulator();
    const a = await begin("Race A");
    const b = await begin("Race B");
    const [ca, cb] = [await approveConsent(a.url), await approveConsent(b.url)];
    const results = await Promise.all([
      completeIntercomConnect({ ...a, code: ca.code, state: ca.state }),
      completeIntercomConnect({ ...b, code: cb.code, state: cb.state }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: "workspace_taken" });
    const live = await db().select().from(intercomConnections).where(eq(intercomConnections.workspaceId, emu.workspace.id));
    expect(live).toHaveLength(1);
  });

  it("disconnecting revokes the token at Intercom and keeps the mappings", async () => {
    await emulator();
    const { accountId, adminId, url } = await begin("Disconnect");
    const consent = await approveConsent(url);
    expect(await completeIntercomConnect({ accountId, adminId, code: consent.code, state: consent.state })).toMatchObject({
      ok: true,
    });
    const token = decryptSecret((await getConnection(accountId))?.accessTokenEnc ?? "");

    const [property] = await db().insert(customProperties).values({ accountId, key: "plan_tier", name: "Plan tier", type: "text" }).returning();
    await db().insert(propertyMappings).values({
      accountId,
      intercomAttribute: "custom_attributes.plan_tier",
      intercomLabel: "Plan tier",
      intercomDataType: "string",
      propertyId: property?.id ?? "",
    });
    const [question] = await db().select().from(questions).where(eq(questions.accountId, accountId)).limit(1);
    await db().insert(questionMappings).values({
      accountId,
      questionId: question?.id ?? "",
      intercomAttribute: "cancel_reason",
      intercomDataType: "string",
    });

    expect(await disconnectIntercom(accountId)).toEqual({ ok: true, revoked: true });

    const conn = await getConnection(accountId);
    expect(conn).toMatchObject({ status: "disconnected", accessTokenEnc: null });
    const revoked = await createIntercomClient({ token }).me().catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(IntercomError);
    expect((revoked as IntercomError).kind).toBe("unauthorized");
    expect(await db().select().from(propertyMappings).where(eq(propertyMappings.accountId, accountId))).toHaveLength(1);
    expect(await db().select().from(questionMappings).where(eq(questionMappings.accountId, accountId))).toHaveLength(1);
    expect(await disconnectIntercom(accountId)).toMatchObject({ ok: false });
  });

  it("still disconnects locally when Intercom cannot be reached, and says so", async () => {
    const emu = await emulator();
    const { accountId, adminId, url } = await begin("Unreachable");
    const consent = await approveConsent(url);
    await completeIntercomConnect({ accountId, adminId, code: consent.code, state: consent.state });
    emu.faults.inject({ status: 503, count: 5, match: { pathPrefix: "/auth/uninstall" } });
    const result = await disconnectIntercom(accountId);
    expect(result).toMatchObject({ ok: true, revoked: false });
    expect(result.ok && result.warning).toMatch(/could not confirm/);
    expect(await getConnection(accountId)).toMatchObject({ status: "disconnected", accessTokenEnc: null });
  });

  describe("callback route", () => {
    function callback(query: Record<string, string>, cookie?: string) {
      const url = new URL("http://127.0.0.1:3999/api/integrations/intercom/callback");
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      return callbackRoute(new NextRequest(url, { headers: cookie ? { cookie: `${OAUTH_STATE_COOKIE}=${cookie}` } : {} }));
    }

    it("sends a forged state back to settings with an error, connecting nothing", async () => {
      const emu = await emulator();
      const { accountId, state, url } = await begin("Route");
      const consent = await approveConsent(url);

      for (const res of [
        await callback({ code: consent.code ?? "", state: "forged" }),
        await callback({ code: consent.code ?? "", state: "forged" }, state),
        await callback({ code: consent.code ?? "", state }),
      ]) {
        expect(res.status).toBe(302);
        const location = new URL(res.headers.get("location") ?? "");
        expect(location.pathname).toBe("/settings/integrations/intercom");
        expect(location.searchParams.get("error")).toBe("state_mismatch");
        expect(res.headers.get("set-cookie")).toContain(`${OAUTH_STATE_COOKIE}=;`);
      }
      expect(await getConnection(accountId)).toBeNull();
      expect(tokenExchanges(emu)).toBe(0);
      const [row] = await db().select().from(oauthStates).where(eq(oauthStates.stateHash, hashState(state)));
      expect(row?.usedAt).toBeNull();
    });

    it("never answers 500 to a malformed callback", async () => {
      const res = await callback({ state: "x".repeat(5000), code: "y" });
      expect(res.status).toBe(302);
      expect(new URL(res.headers.get("location") ?? "").searchParams.get("error")).toBe("state_mismatch");
    });
  });
});
