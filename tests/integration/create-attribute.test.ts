import { and, eq, isNull } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { alerts, questionMappings, subscribers } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { decryptSecret } from "@/lib/crypto/encryption";
import { getFlowForEditor, saveQuestion } from "@/lib/flows/flow-editor";
import { drainDueDeliveries } from "@/lib/forwarding/drain";
import { countCustomAttributes } from "@/lib/mappings/create-question-attribute-rules";
import { createQuestionAttribute } from "@/lib/mappings/create-question-attribute";
import { checkMappingHealth } from "@/lib/mappings/mapping-health";
import { listQuestionMappings, loadIntercomAttributes, saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { signedIdentity } from "../support/widget-identity";
import { recordWidgetAnswer } from "@/lib/widget/record-answer";
import { startWidgetSession } from "@/lib/widget/start-session";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";
import { callEmulator } from "../support/intercom-emulator";

describe("creating a question's Intercom attribute in one click", () => {
  const db = setupTestDb();
  const emulators: RunningEmulator[] = [];

  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
  });

  async function connectedAccount() {
    const emulator = await startTestEmulator({ contactCount: 1 });
    emulators.push(emulator);
    useEmulatorHosts(emulator);
    const { account } = await createTestAccount("CreateAttr");
    await connectAccountToEmulator(account.id, emulator);
    const flow = await getFlowForEditor(account.id);
    const [choice, free, rating] = flow!.questions;
    return { emulator, account, choice: choice!, free: free!, rating: rating! };
  }

  const mappingOf = async (accountId: string, questionId: string) =>
    (await listQuestionMappings(accountId)).find((m) => m.questionId === questionId);

  it("creates a list attribute of the reason codes for multiple choice, text for free text, integer for ratings, and maps each", async () => {
    const { emulator, account, choice, free, rating } = await connectedAccount();

    const created = await createQuestionAttribute(account.id, choice.id);
    expect(created).toMatchObject({ ok: true, capLevel: "ok" });
    const inIntercom = emulator.store.customAttribute("whats_the_main_reason_youre_cancelling")!;
    expect(inIntercom).toMatchObject({
      data_type: "string",
      options: ["too_expensive", "missing_feature", "switching", "other"],
      description: "Holdfast cancellation survey: What's the main reason you're cancelling?",
      api_writable: true,
      archived: false,
    });
    expect(await mappingOf(account.id, choice.id)).toMatchObject({
      intercomAttribute: "whats_the_main_reason_youre_cancelling",
      intercomDataType: "string",
      intercomOptions: ["too_expensive", "missing_feature", "switching", "other"],
      status: "ok",
    });

    expect(await createQuestionAttribute(account.id, free.id)).toMatchObject({ ok: true });
    expect(emulator.store.customAttribute("what_could_we_have_done_better")).toMatchObject({ data_type: "string" });
    expect(emulator.store.customAttribute("what_could_we_have_done_better")!.options).toBeUndefined();

    expect(await createQuestionAttribute(account.id, rating.id)).toMatchObject({ ok: true });
    expect(emulator.store.customAttribute("how_likely_are_you_to_recommend")).toMatchObject({ data_type: "integer" });
    expect((await listQuestionMappings(account.id)).map((m) => m.intercomDataType).sort()).toEqual(["integer", "string", "string"]);
    // What Holdfast created is healthy by its own check.
    expect(await checkMappingHealth(account.id)).toMatchObject({ ok: true, checked: 3, broken: [] });
  });

  it("uses option texts when options have no reason codes, and a fresh name when the first is taken", async () => {
    const { emulator, account } = await connectedAccount();
    const plain = await saveQuestion(account.id, {
      kind: "multiple_choice",
      prompt: "Cancel reason",
      options: [{ text: "Too pricey" }, { text: "Bugs", reasonCode: "bugs" }],
    });
    if (!plain.ok) throw new Error(plain.error);
    // The seeded workspace already has "cancel_reason".
    const result = await createQuestionAttribute(account.id, plain.questionId);
    expect(result).toMatchObject({ ok: true, attribute: { name: "cancel_reason_2", options: ["Too pricey", "bugs"] } });
    expect(emulator.store.customAttribute("cancel_reason")!.options).toBeUndefined();
  });

  it("delivers answers into the attribute it created", async () => {
    const { emulator, account, choice } = await connectedAccount();
    const created = await createQuestionAttribute(account.id, choice.id);
    if (!created.ok) throw new Error(created.error);

    const email = "created.attr@example.com";
    const contact = emulator.store.createContact({ email, role: "user" });
    const session = await startWidgetSession({
      publicKey: account.publicKey,
      email,
      ...signedIdentity(decryptSecret(account.widgetSecretEnc), { email }),
    });
    if (!session.ok) throw new Error(session.error);
    await db()
      .update(subscribers)
      .set({ intercomContactId: contact.id, intercomMatch: "matched" })
      .where(and(eq(subscribers.accountId, account.id), eq(subscribers.emailKey, email)));
    const option = session.flow.questions.find((q) => q.id === choice.id)!.options.find((o) => o.text === "It's too expensive")!;
    const answered = await recordWidgetAnswer(session.sessionId, { sessionToken: session.sessionToken, questionId: choice.id, optionId: option.id });
    expect(answered).toMatchObject({ ok: true });
    await drainDueDeliveries({ budgetMs: 10_000, accountId: account.id });
    expect(emulator.store.getContact(contact.id)!.contact.custom_attributes[created.attribute.name]).toBe("too_expensive");
  });

  it("fixes a broken mapping by creating a replacement attribute", async () => {
    const { emulator, account, free } = await connectedAccount();
    expect((await saveQuestionMappings(account.id, [{ questionId: free.id, intercomAttribute: "cancel_comment" }])).ok).toBe(true);
    emulator.store.archiveAttribute("cancel_comment");
    await checkMappingHealth(account.id);
    const broken = await mappingOf(account.id, free.id);
    expect(broken).toMatchObject({ status: "broken" });

    expect(await createQuestionAttribute(account.id, free.id)).toMatchObject({ ok: true });
    expect(await mappingOf(account.id, free.id)).toMatchObject({
      id: broken!.id,
      intercomAttribute: "what_could_we_have_done_better",
      status: "ok",
      statusReason: null,
      brokenAt: null,
    });
    const open = await db()
      .select()
      .from(alerts)
      .where(and(eq(alerts.accountId, account.id), isNull(alerts.resolvedAt)));
    expect(open).toEqual([]);
  });

  it("refuses questions of other accounts and unknown ids without calling Intercom", async () => {
    const { emulator, account } = await connectedAccount();
    const { account: other } = await createTestAccount("Other");
    const otherQuestion = (await getFlowForEditor(other.id))!.questions[0]!;
    emulator.clearRequests();
    expect(await createQuestionAttribute(account.id, otherQuestion.id)).toMatchObject({ ok: false, reason: "not_found" });
    expect(await createQuestionAttribute(account.id, "not-a-uuid")).toMatchObject({ ok: false, reason: "not_found" });
    expect(emulator.requests.filter((r) => r.method === "POST")).toEqual([]);
    expect(await db().select().from(questionMappings).where(eq(questionMappings.accountId, other.id))).toEqual([]);
  });

  it("warns from 240 custom attributes and refuses at Intercom's cap of 250, counting only active ones", async () => {
    const { emulator, account, choice, free, rating } = await connectedAccount();
    const token = emulator.issueToken();
    const active = async () => {
      const loaded = await loadIntercomAttributes(account.id);
      if (loaded.state !== "ok") throw new Error(loaded.message);
      return countCustomAttributes(loaded.attributes);
    };
    async function fillTo(target: number) {
      for (let n = await active(); n < target; n++) {
        const res = await callEmulator(emulator, "/data_attributes", {
          token,
          body: { model: "contact", name: `filler_${n}`, data_type: "string" },
        });
        expect(res.status).toBe(200);
      }
    }

    await fillTo(239);
    expect(await createQuestionAttribute(account.id, choice.id)).toMatchObject({ ok: true, customAttributeCount: 240, capLevel: "warning" });

    await fillTo(250);
    emulator.clearRequests();
    const refused = await createQuestionAttribute(account.id, free.id);
    expect(refused).toMatchObject({ ok: false, reason: "cap_reached" });
    if (refused.ok) return;
    expect(refused.error).toMatch(/250 of the 250 custom attributes/);
    expect(emulator.requests.filter((r) => r.method === "POST")).toEqual([]);
    expect(await mappingOf(account.id, free.id)).toBeUndefined();

    // Archived attributes do not count: archiving one makes room again.
    emulator.store.archiveAttribute("filler_20");
    expect(await createQuestionAttribute(account.id, rating.id)).toMatchObject({ ok: true, customAttributeCount: 250, capLevel: "full" });
  });
});
