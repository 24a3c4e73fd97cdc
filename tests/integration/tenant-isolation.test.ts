import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  customProperties,
  intercomConnections,
  oauthStates,
  propertyMappings,
  questionMappings,
  questions,
  subscribers,
  syncRuns,
} from "@/db/schema";
import { getConnectionStatus, getIntercomOverview } from "@/lib/connections/connection-overview";
import { disconnectIntercom } from "@/lib/connections/disconnect";
import { clientForConnection, getConnection, getLiveConnection } from "@/lib/connections/intercom-connection";
import { completeIntercomConnect, startIntercomConnect } from "@/lib/connections/oauth-connect";
import { hashState } from "@/lib/connections/oauth-state";
import { encryptSecret } from "@/lib/crypto/encryption";
import { getPropertyMappings, savePropertyMappings } from "@/lib/mappings/property-mappings";
import { listMappableQuestions, listQuestionMappings, saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { listCustomProperties, renameCustomProperty } from "@/lib/properties/custom-properties";
import { listSubscribers } from "@/lib/subscribers/list-subscribers";
import { getSubscriberDetail } from "@/lib/subscribers/subscriber-detail";
import { getSyncOverview } from "@/lib/sync/sync-history";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// Account B's admin passes B's accountId (from its session) to every lib function; nothing of
// account A may come back, and nothing of A may change.
describe("tenant isolation", () => {
  const db = setupTestDb();
  let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
  const a = { accountId: "", adminId: "", connectionId: "", subscriberId: "", propertyId: "", questionId: "", pendingState: "" };
  const b = { accountId: "", adminId: "" };

  beforeAll(async () => {
    emulator = await startTestEmulator({ contactCount: 0 });
    useEmulatorHosts(emulator);
    const accountA = await createTestAccount("Tenant A");
    const accountB = await createTestAccount("Tenant B");
    Object.assign(a, { accountId: accountA.account.id, adminId: accountA.admin.id });
    Object.assign(b, { accountId: accountB.account.id, adminId: accountB.admin.id });

    a.connectionId = (await connectAccountToEmulator(a.accountId, emulator)).id;
    // B is connected too (same emulator, its own workspace id), so its writes get past "not connected".
    await db().insert(intercomConnections).values({
      accountId: b.accountId,
      workspaceId: `${emulator.workspace.id}_b`,
      workspaceName: "Tenant B workspace",
      region: "US",
      timezone: "UTC",
      accessTokenEnc: encryptSecret(emulator.issueToken()),
    });

    const [sub] = await db()
      .insert(subscribers)
      .values({ accountId: a.accountId, email: "secret@tenant-a.test", emailKey: "secret@tenant-a.test", name: "Tenant A Customer" })
      .returning();
    const [prop] = await db().insert(customProperties).values({ accountId: a.accountId, key: "a_plan", name: "A plan", type: "text" }).returning();
    await db().insert(propertyMappings).values({
      accountId: a.accountId,
      intercomAttribute: "name",
      intercomLabel: "Name",
      intercomDataType: "string",
      propertyId: prop?.id ?? "",
    });
    const [question] = await db().select().from(questions).where(eq(questions.accountId, a.accountId)).limit(1);
    await db().insert(questionMappings).values({
      accountId: a.accountId,
      questionId: question?.id ?? "",
      intercomAttribute: "a_cancel_reason",
      intercomDataType: "string",
    });
    await db().insert(syncRuns).values({ accountId: a.accountId, connectionId: a.connectionId, trigger: "cron", mode: "full", status: "succeeded" });
    Object.assign(a, { subscriberId: sub?.id, propertyId: prop?.id, questionId: question?.id });
    a.pendingState = (await startIntercomConnect(a)).state;
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it("B cannot read A's Intercom connection", async () => {
    expect((await getConnection(b.accountId))?.workspaceId).toBe(`${emulator.workspace.id}_b`);
    expect((await getLiveConnection(b.accountId))?.accountId).toBe(b.accountId);
    expect(await getConnectionStatus(b.accountId)).toMatchObject({ workspaceName: "Tenant B workspace" });
    const overview = await getIntercomOverview(b.accountId);
    expect(overview.connection?.accountId).toBe(b.accountId);
    expect(overview.lastRun).toBeNull();
    expect(overview.connection).not.toHaveProperty("accessTokenEnc");
  });

  it("B cannot finish a connection with A's OAuth state, and the state stays A's to use", async () => {
    const result = await completeIntercomConnect({ ...b, code: "a-code-from-b's-own-consent", state: a.pendingState });
    expect(result).toMatchObject({ ok: false, code: "state_mismatch" });
    const [row] = await db().select().from(oauthStates).where(eq(oauthStates.stateHash, hashState(a.pendingState)));
    expect(row).toMatchObject({ accountId: a.accountId, usedAt: null });
    expect((await getConnection(b.accountId))?.workspaceId).toBe(`${emulator.workspace.id}_b`);
  });

  it("B cannot read A's subscribers, properties, mappings or sync runs", async () => {
    const list = await listSubscribers(b.accountId, { q: "tenant-a" });
    expect(list.items).toHaveLength(0);
    expect(list.total).toBe(0);
    expect(await getSubscriberDetail(b.accountId, a.subscriberId)).toBeNull();
    expect((await listCustomProperties(b.accountId)).map((p) => p.id)).not.toContain(a.propertyId);
    expect(await getPropertyMappings(b.accountId)).toHaveLength(0);
    expect(await listQuestionMappings(b.accountId)).toHaveLength(0);
    expect((await listMappableQuestions(b.accountId)).map((q) => q.id)).not.toContain(a.questionId);
    const sync = await getSyncOverview(b.accountId);
    expect(sync.runs).toHaveLength(0);
  });

  it("B cannot change A's properties or map A's properties and questions", async () => {
    const rename = await renameCustomProperty(b.accountId, { propertyId: a.propertyId, name: "Hijacked" });
    const mapProperty = await savePropertyMappings(b.accountId, [{ intercomAttribute: "email", propertyId: a.propertyId }]);
    const mapQuestion = await saveQuestionMappings(b.accountId, [{ questionId: a.questionId, intercomAttribute: "a_cancel_reason" }]);
    // Refused because A's rows do not exist for B, not for some unrelated validation reason.
    for (const result of [rename, mapProperty, mapQuestion]) {
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).toMatch(/no longer exists/);
    }

    const [prop] = await db().select().from(customProperties).where(eq(customProperties.id, a.propertyId));
    expect(prop?.name).toBe("A plan");
    expect(await getPropertyMappings(a.accountId)).toHaveLength(1);
    expect(await getPropertyMappings(b.accountId)).toHaveLength(0);
    expect(await listQuestionMappings(a.accountId)).toHaveLength(1);
    expect(await listQuestionMappings(b.accountId)).toHaveLength(0);
  });

  it("B disconnecting only disconnects B; A's token keeps working", async () => {
    expect(await disconnectIntercom(b.accountId)).toMatchObject({ ok: true });
    expect(await getConnection(b.accountId)).toMatchObject({ status: "disconnected", accessTokenEnc: null });
    const connA = await getLiveConnection(a.accountId);
    expect(connA?.status).toBe("connected");
    const me = await clientForConnection(connA!).me();
    expect(me.app.id_code).toBe(emulator.workspace.id);
  });
});
