import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerDeliveries, answers, cancelSessions, flows, questionOptions, questions, subscribers, syncErrors, syncRuns } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { resetEnvCache } from "@/lib/env";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { importSubscribers } from "@/lib/subscribers/import-subscribers";
import { getSubscriberDetail } from "@/lib/subscribers/subscriber-detail";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

const db = setupTestDb();

describe("getSubscriberDetail", () => {
  let emulator: RunningEmulator;
  let accountId: string;
  let connectionId: string;

  beforeAll(async () => {
    emulator = await startTestEmulator({ contactCount: 10 });
    useEmulatorHosts(emulator);
    const { account } = await createTestAccount("Detail");
    accountId = account.id;
    connectionId = (await connectAccountToEmulator(accountId, emulator)).id;
  });
  afterAll(async () => {
    await emulator?.close();
    delete process.env.INTERCOM_API_URL;
    delete process.env.INTERCOM_APP_URL;
    resetEnvCache();
  });

  async function subscriberId(account: string, emailKey: string): Promise<string> {
    const row = await db().query.subscribers.findFirst({
      where: and(eq(subscribers.accountId, account), eq(subscribers.emailKey, emailKey)),
    });
    if (!row) throw new Error(`no subscriber ${emailKey}`);
    return row.id;
  }

  it("shows synced property values with their Intercom source, and a View in Intercom link that opens the contact", async () => {
    const contact = emulator.store.createContact({
      role: "user",
      email: "dana@example.com",
      name: "Dana Scully",
      custom_attributes: { plan_name: "Enterprise", seats: 12, renewal_date: 1735689600 },
    });
    await importSubscribers(accountId, "email,name,plan,mrr\n Dana@Example.COM ,Dana Scully,Pro,49.00\nnobody@example.com,No One,,\n");
    const saved = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Intercom plan" } },
      { intercomAttribute: "custom_attributes.seats", newProperty: { name: "Seats" } },
      { intercomAttribute: "custom_attributes.renewal_date", newProperty: { name: "Renewal date" } },
    ]);
    expect(saved.ok).toBe(true);
    const run = await runIntercomSync({ accountId, trigger: "manual", mode: "full" });
    expect(run.status).toBe("succeeded");

    const detail = await getSubscriberDetail(accountId, await subscriberId(accountId, "dana@example.com"));
    expect(detail?.subscriber).toMatchObject({ email: "Dana@Example.COM", name: "Dana Scully", plan: "Pro", mrrCents: 4900 });
    expect(detail?.intercom).toMatchObject({ match: "matched", contactId: contact.id, candidateCount: 1 });
    expect(detail?.intercom.linkedAt).toBeInstanceOf(Date);

    const byName = Object.fromEntries(detail!.properties.map((p) => [p.name, p]));
    expect(byName["Intercom plan"]).toMatchObject({
      value: "Enterprise",
      display: "Enterprise",
      sourceContactId: contact.id,
      sourceAttribute: "custom_attributes.plan_name",
      intercomLabel: "Plan name",
    });
    expect(byName["Intercom plan"]?.syncedAt).toBeInstanceOf(Date);
    expect(byName.Seats).toMatchObject({ value: 12, display: "12", intercomLabel: "Seats" });
    expect(byName["Renewal date"]).toMatchObject({ value: 1735689600, display: "2025-01-01" });

    const link = `${emulator.url}/a/apps/${emulator.workspace.id}/users/${contact.id}/all-conversations`;
    expect(detail?.intercom.deepLink).toBe(link);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("dana@example.com");
  });

  it("offers no link and shows every property as unset for a subscriber Intercom does not know", async () => {
    const detail = await getSubscriberDetail(accountId, await subscriberId(accountId, "nobody@example.com"));
    expect(detail?.intercom).toMatchObject({ match: "none", contactId: null, deepLink: null });
    expect(detail?.properties).toHaveLength(3);
    for (const p of detail!.properties) expect(p).toMatchObject({ value: null, display: "—", sourceContactId: null, syncedAt: null });
  });

  it("explains which rule picked the contact when several Intercom contacts share the email", async () => {
    emulator.store.createContact({ role: "lead", email: "mulder@example.com", name: "Fox (lead)" });
    const user = emulator.store.createContact({ role: "user", email: "Mulder@example.com", name: "Fox Mulder", created_at: 1_700_000_000 });
    await importSubscribers(accountId, "email\nmulder@example.com\n");
    const run = await runIntercomSync({ accountId, trigger: "manual", mode: "full" });
    expect(run.status).toBe("succeeded");

    const detail = await getSubscriberDetail(accountId, await subscriberId(accountId, "mulder@example.com"));
    expect(detail?.intercom).toMatchObject({ match: "ambiguous", candidateCount: 2, contactId: user.id, pickReason: "user_over_lead" });
    expect(detail?.intercom.deepLink).toContain(`/users/${user.id}/`);
  });

  it("lists cancellation answers with their Intercom delivery state and the subscriber's latest sync errors", async () => {
    const id = await subscriberId(accountId, "dana@example.com");
    const flow = await db().query.flows.findFirst({ where: eq(flows.accountId, accountId) });
    const qs = await db().select().from(questions).where(eq(questions.flowId, flow!.id)).orderBy(questions.position);
    const [reasonQ, textQ, ratingQ] = qs;
    const option = await db().query.questionOptions.findFirst({
      where: and(eq(questionOptions.questionId, reasonQ!.id), eq(questionOptions.reasonCode, "too_expensive")),
    });
    const [session] = await db().insert(cancelSessions).values({ accountId, flowId: flow!.id, subscriberId: id }).returning();
    const [reason, comment] = await db()
      .insert(answers)
      .values([
        { accountId, sessionId: session!.id, subscriberId: id, questionId: reasonQ!.id, optionId: option!.id },
        { accountId, sessionId: session!.id, subscriberId: id, questionId: textQ!.id, textValue: "Too pricey for my team" },
        { accountId, sessionId: session!.id, subscriberId: id, questionId: ratingQ!.id, ratingValue: 7 },
      ])
      .returning();
    const deliveredAt = new Date("2024-05-01T10:00:00Z");
    await db()
      .insert(answerDeliveries)
      .values([
        { accountId, answerId: reason!.id, subscriberId: id, attribute: "cancel_reason_code", value: "too_expensive", state: "delivered", deliveredAt },
        {
          accountId,
          answerId: comment!.id,
          subscriberId: id,
          attribute: "cancel_comment",
          value: "Too pricey for my team",
          state: "failed",
          lastError: "Intercom rejected the value: attribute 'cancel_comment' does not exist",
        },
      ]);
    const [run] = await db().insert(syncRuns).values({ accountId, connectionId, trigger: "manual", mode: "full", status: "partial" }).returning();
    await db().insert(syncErrors).values({ accountId, runId: run!.id, subscriberId: id, contactId: "c_x", message: 'Intercom value "abc" is not a number' });

    const detail = await getSubscriberDetail(accountId, id);
    const byPrompt = Object.fromEntries(detail!.answers.map((a) => [a.questionPrompt, a]));
    expect(byPrompt[reasonQ!.prompt]).toMatchObject({
      answer: "It's too expensive",
      reasonCode: "too_expensive",
      delivery: { state: "delivered", deliveredAt, attribute: "cancel_reason_code" },
    });
    expect(byPrompt[textQ!.prompt]).toMatchObject({
      answer: "Too pricey for my team",
      delivery: { state: "failed", reason: "Intercom rejected the value: attribute 'cancel_comment' does not exist" },
    });
    expect(byPrompt[ratingQ!.prompt]).toMatchObject({ answer: "7 / 10", delivery: { state: "not_mapped" } });
    expect(detail?.syncErrors).toEqual([expect.objectContaining({ message: 'Intercom value "abc" is not a number', contactId: "c_x" })]);
  });

  it("returns null for another account's subscriber, an unknown id and a malformed id", async () => {
    const { account: other } = await createTestAccount("Other");
    const id = await subscriberId(accountId, "dana@example.com");
    expect(await getSubscriberDetail(other.id, id)).toBeNull();
    expect(await getSubscriberDetail(accountId, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await getSubscriberDetail(accountId, "not-a-uuid")).toBeNull();
  });
});

describe("View in Intercom link on Intercom's own hosts", () => {
  const emulators: RunningEmulator[] = [];
  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
    resetEnvCache();
  });

  it.each([
    ["US", "https://app.intercom.com"],
    ["EU", "https://app.eu.intercom.com"],
    ["AU", "https://app.au.intercom.com"],
  ] as const)("links a %s workspace's contact on %s when INTERCOM_APP_URL is unset", async (region, host) => {
    const emulator = await startTestEmulator({ contactCount: 0, workspace: { region } });
    emulators.push(emulator);
    const { account } = await createTestAccount(`Region ${region}`);
    await connectAccountToEmulator(account.id, emulator);
    await importSubscribers(account.id, "email\nana@example.com\n");
    await db()
      .update(subscribers)
      .set({ intercomContactId: "65f0c1a2b3", intercomMatch: "matched", intercomCandidates: 1, intercomLinkedAt: new Date() })
      .where(and(eq(subscribers.accountId, account.id), eq(subscribers.emailKey, "ana@example.com")));
    delete process.env.INTERCOM_APP_URL;
    resetEnvCache();

    const row = await db().query.subscribers.findFirst({ where: eq(subscribers.accountId, account.id) });
    const detail = await getSubscriberDetail(account.id, row!.id);
    expect(detail?.intercom.deepLink).toBe(`${host}/a/apps/${emulator.workspace.id}/users/65f0c1a2b3/all-conversations`);
  });
});
