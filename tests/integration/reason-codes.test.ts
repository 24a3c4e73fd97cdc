import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerDeliveries, questionOptions, subscribers } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { decryptSecret } from "@/lib/crypto/encryption";
import { getFlowForEditor, saveQuestion, type EditorQuestion } from "@/lib/flows/flow-editor";
import { reasonCodeChangeWarnings } from "@/lib/flows/reason-code-guard";
import { drainDueDeliveries } from "@/lib/forwarding/drain";
import { saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { signedIdentity } from "../support/widget-identity";
import { recordWidgetAnswer } from "@/lib/widget/record-answer";
import { startWidgetSession } from "@/lib/widget/start-session";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

type Account = Awaited<ReturnType<typeof createTestAccount>>["account"];

describe("reason codes are stable keys", () => {
  const db = setupTestDb();
  let emulator: RunningEmulator;
  let account: Account;
  let listQuestion: EditorQuestion;
  let textQuestion: EditorQuestion;
  let sent = 0;

  beforeAll(async () => {
    emulator = await startTestEmulator({ contactCount: 1 });
    useEmulatorHosts(emulator);
    ({ account } = await createTestAccount("Codes"));
    await connectAccountToEmulator(account.id, emulator);
    const created = await saveQuestion(account.id, {
      kind: "multiple_choice",
      prompt: "Which plan were you on?",
      options: [
        { text: "Starter", reasonCode: "starter" },
        { text: "Team", reasonCode: "team" },
        { text: "Something else" },
      ],
    });
    if (!created.ok) throw new Error(created.error);
    const flow = await getFlowForEditor(account.id);
    listQuestion = flow!.questions[0]!;
    textQuestion = flow!.questions.find((q) => q.id === created.questionId)!;
    const saved = await saveQuestionMappings(account.id, [
      // A list attribute: too_expensive, missing_feature, switching, other.
      { questionId: listQuestion.id, intercomAttribute: "cancel_reason_code" },
      // A plain text attribute: any value is accepted.
      { questionId: textQuestion.id, intercomAttribute: "cancel_reason" },
    ]);
    expect(saved).toEqual({ ok: true, saved: 2 });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  /** A new subscriber, linked to a fresh contact, answers; the outbox is drained. Returns what Intercom holds. */
  async function answerAndDeliver(questionId: string, optionText: string) {
    const email = `codes-${++sent}@example.com`;
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
    const option = session.flow.questions.find((q) => q.id === questionId)!.options.find((o) => o.text === optionText);
    if (!option) throw new Error(`no option "${optionText}"`);
    const answered = await recordWidgetAnswer(session.sessionId, { sessionToken: session.sessionToken, questionId, optionId: option.id });
    if (!answered.ok || !answered.deliveryId) throw new Error("answer not recorded with a delivery");
    await drainDueDeliveries({ budgetMs: 10_000, accountId: account.id });
    const [delivery] = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, answered.deliveryId));
    expect(delivery!.state).toBe("delivered");
    return emulator.store.getContact(contact.id)!.contact.custom_attributes;
  }

  /** The question as the editor would submit it, with some options edited. */
  function edited(question: EditorQuestion, change: Record<string, { text?: string; reasonCode?: string }>) {
    return {
      id: question.id,
      kind: question.kind,
      prompt: question.prompt,
      options: question.options.map((o) => ({
        id: o.id,
        text: change[o.text]?.text ?? o.text,
        reasonCode: change[o.text]?.reasonCode ?? o.reasonCode ?? undefined,
      })),
    };
  }

  async function storedOption(id: string) {
    const [row] = await db().select().from(questionOptions).where(eq(questionOptions.id, id));
    return row!;
  }

  it("keeps sending the same code after an option's text is renamed, with no warning", async () => {
    expect((await answerAndDeliver(listQuestion.id, "It's too expensive")).cancel_reason_code).toBe("too_expensive");

    const rename = edited(listQuestion, { "It's too expensive": { text: "The price is too high" } });
    expect(await reasonCodeChangeWarnings(account.id, rename)).toEqual([]);
    expect(await saveQuestion(account.id, rename)).toEqual({ ok: true, questionId: listQuestion.id });

    const after = await answerAndDeliver(listQuestion.id, "The price is too high");
    expect(after.cancel_reason_code).toBe("too_expensive");
    listQuestion = (await getFlowForEditor(account.id))!.questions.find((q) => q.id === listQuestion.id)!;
  });

  it("holds a code change on delivered answers until confirmed, with the codes and delivered counts", async () => {
    await answerAndDeliver(textQuestion.id, "Starter");
    await answerAndDeliver(textQuestion.id, "Starter");
    const starter = textQuestion.options.find((o) => o.text === "Starter")!;
    const change = edited(textQuestion, { Starter: { reasonCode: "starter_plan" }, Team: { reasonCode: "team_plan" } });

    // Team has no delivered answers, so only Starter is reported.
    expect(await reasonCodeChangeWarnings(account.id, change)).toEqual([
      { optionId: starter.id, optionText: "Starter", from: "starter", to: "starter_plan", delivered: 2 },
    ]);
    const held = await saveQuestion(account.id, change);
    expect(held).toMatchObject({ ok: false, reasonCodeChanges: [{ from: "starter", to: "starter_plan", delivered: 2 }] });
    if (held.ok) return;
    expect(held.error).toMatch(/2 delivered answers/);
    expect((await storedOption(starter.id)).reasonCode).toBe("starter");

    expect(await saveQuestion(account.id, { ...change, confirmReasonCodeChanges: true })).toMatchObject({ ok: true });
    expect((await storedOption(starter.id)).reasonCode).toBe("starter_plan");
    expect((await answerAndDeliver(textQuestion.id, "Starter")).cancel_reason).toBe("starter_plan");
    textQuestion = (await getFlowForEditor(account.id))!.questions.find((q) => q.id === textQuestion.id)!;
  });

  it("warns when an option without a code, whose text was sent, is renamed or loses its code", async () => {
    expect((await answerAndDeliver(textQuestion.id, "Something else")).cancel_reason).toBe("Something else");
    const other = textQuestion.options.find((o) => o.text === "Something else")!;
    expect(await reasonCodeChangeWarnings(account.id, edited(textQuestion, { "Something else": { text: "Other" } }))).toEqual([
      { optionId: other.id, optionText: "Something else", from: "Something else", to: "Other", delivered: 1 },
    ]);
    // Giving it a code equal to the text it sent changes nothing in Intercom.
    expect(await reasonCodeChangeWarnings(account.id, edited(textQuestion, { "Something else": { reasonCode: "" } }))).toEqual([]);
    expect(
      await reasonCodeChangeWarnings(account.id, edited(textQuestion, { Starter: { reasonCode: "" } })),
    ).toEqual([expect.objectContaining({ from: "starter_plan", to: "Starter", delivered: 1 })]);
  });

  it("still only accepts codes of the mapped list attribute, confirmed or not, and holds swaps between its codes", async () => {
    const outside = edited(listQuestion, { "Something else": { reasonCode: "price" } });
    const refused = await saveQuestion(account.id, { ...outside, confirmReasonCodeChanges: true });
    expect(refused).toMatchObject({ ok: false });
    if (refused.ok) return;
    expect(refused.error).toMatch(/only accepts: too_expensive, missing_feature, switching, other.*price/);

    // A swap stays inside the list, but answers already delivered as too_expensive would now mean something else.
    const swap = edited(listQuestion, {
      "The price is too high": { reasonCode: "missing_feature" },
      "It's missing a feature I need": { reasonCode: "too_expensive" },
    });
    const held = await saveQuestion(account.id, swap);
    expect(held).toMatchObject({ ok: false, reasonCodeChanges: [{ from: "too_expensive", to: "missing_feature", delivered: 2 }] });
  });

  it("ignores new options, other accounts' questions and malformed input", async () => {
    const added = { ...edited(textQuestion, {}), options: [...edited(textQuestion, {}).options, { text: "Enterprise", reasonCode: "ent" }] };
    expect(await reasonCodeChangeWarnings(account.id, added)).toEqual([]);
    const { account: other } = await createTestAccount("CodesOther");
    expect(await reasonCodeChangeWarnings(other.id, edited(textQuestion, { Starter: { reasonCode: "x" } }))).toEqual([]);
    expect(await reasonCodeChangeWarnings(account.id, { id: "nope" })).toEqual([]);
    expect(await reasonCodeChangeWarnings(account.id, null)).toEqual([]);
  });
});
