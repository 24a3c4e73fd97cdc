import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as answerPOST } from "@/app/api/widget/sessions/[id]/answers/route";
import { POST as sessionsPOST } from "@/app/api/widget/sessions/route";
import { accounts, answerDeliveries, answers, questionMappings, questions, subscribers } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { decryptSecret } from "@/lib/crypto/encryption";
import { deleteQuestion, getFlowForEditor, saveQuestion } from "@/lib/flows/flow-editor";
import { drainDueDeliveries } from "@/lib/forwarding/drain";
import { saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { getSubscriberDetail } from "@/lib/subscribers/subscriber-detail";
import { signedIdentity } from "../support/widget-identity";
import { recordWidgetAnswer } from "@/lib/widget/record-answer";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

type Flow = { questions: { id: string; prompt: string }[] };
type Started = { sessionId: string; sessionToken: string; flow: Flow };

/** Deleting a survey question never loses an answer, delivered or still waiting for Intercom. */
describe("removing a question that has answers archives it", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let account: Awaited<ReturnType<typeof createTestAccount>>["account"];

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 0 });
    useEmulatorHosts(emu);
    ({ account } = await createTestAccount("Archive"));
    await connectAccountToEmulator(account.id, emu);
  });

  afterAll(async () => {
    await emu.close();
  });

  const post = (path: string, body: unknown) =>
    new Request(`http://holdfast.test${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  async function startSession(email: string): Promise<Started> {
    const signed = signedIdentity(decryptSecret(account.widgetSecretEnc), { email });
    const res = await sessionsPOST(post("/api/widget/sessions", { publicKey: account.publicKey, email, ...signed }));
    expect(res.status).toBe(201);
    return (await res.json()) as Started;
  }

  const answer = (s: Started, questionId: string, body: object) =>
    answerPOST(post(`/api/widget/sessions/${s.sessionId}/answers`, { sessionToken: s.sessionToken, questionId, ...body }), {
      params: Promise.resolve({ id: s.sessionId }),
    });

  /** A subscriber linked (as the sync would) to a contact in the emulator. */
  async function linkToContact(email: string) {
    const contact = emu.store.createContact({ email, role: "user" });
    await db()
      .update(subscribers)
      .set({ intercomContactId: contact.id, intercomMatch: "matched" })
      .where(and(eq(subscribers.accountId, account.id), eq(subscribers.emailKey, email)));
    return contact.id;
  }

  it("keeps the answer and its pending delivery, delivers it on the next drain, and the widget stops asking", async () => {
    const email = "leaving@example.com";
    const first = await startSession(email);
    const rating = first.flow.questions[2]!;
    expect(await saveQuestionMappings(account.id, [{ questionId: rating.id, intercomAttribute: "cancel_rating" }])).toEqual({ ok: true, saved: 1 });
    const contactId = await linkToContact(email);
    // Recorded without the route's after-response kick, so the delivery is still waiting when the question goes.
    const answered = await recordWidgetAnswer(first.sessionId, { sessionToken: first.sessionToken, questionId: rating.id, rating: 4 });
    if (!answered.ok) throw new Error(answered.error);
    const { answerId } = answered;
    const [pending] = await db().select().from(answerDeliveries).where(eq(answerDeliveries.answerId, answerId));
    expect(pending).toMatchObject({ state: "pending", attribute: "cancel_rating", value: 4 });

    // The admin removes the question before the delivery went out.
    const removed = await deleteQuestion(account.id, rating.id);

    expect(await db().select().from(answers).where(eq(answers.id, answerId))).toHaveLength(1);
    const [kept] = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, pending!.id));
    expect(kept).toMatchObject({ state: "pending", value: 4 });
    expect(removed).toEqual({ ok: true, archived: true });

    // Gone from the flow editor and from the widget; a session still showing it cannot answer it.
    expect((await getFlowForEditor(account.id))!.questions.map((q) => q.id)).not.toContain(rating.id);
    const next = await startSession("next@example.com");
    expect(next.flow.questions.map((q) => q.id)).not.toContain(rating.id);
    expect(next.flow.questions).toHaveLength(2);
    const late = await answer(first, rating.id, { rating: 9 });
    expect(late.status).toBe(404);

    // Still on the subscriber page, with its delivery.
    const detail = await getSubscriberDetail(account.id, pending!.subscriberId);
    expect(detail!.answers.map((a) => a.questionPrompt)).toContain(rating.prompt);

    // The next drain delivers it as if nothing happened.
    await drainDueDeliveries({ budgetMs: 20_000, accountId: account.id });
    const [delivered] = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, pending!.id));
    expect(delivered).toMatchObject({ state: "delivered", contactId });
    expect(emu.store.getContact(contactId)?.contact.custom_attributes.cancel_rating).toBe(4);

    // Its mapping is gone, so the attribute is free for another question.
    expect(await db().select().from(questionMappings).where(eq(questionMappings.questionId, rating.id))).toEqual([]);
    const other = next.flow.questions[1]!;
    expect(await saveQuestionMappings(account.id, [{ questionId: other.id, intercomAttribute: "cancel_comment" }])).toEqual({ ok: true, saved: 1 });
  });

  it("deletes a question nobody answered, and the database refuses to delete one with answers", async () => {
    const s = await startSession("quiet@example.com");
    const [choice, free] = s.flow.questions;
    expect(await deleteQuestion(account.id, free!.id)).toEqual({ ok: true, archived: false });
    expect(await db().select().from(questions).where(eq(questions.id, free!.id))).toEqual([]);

    const option = (s.flow.questions[0] as unknown as { options: { id: string }[] }).options[0]!;
    expect((await answer(s, choice!.id, { optionId: option.id })).status).toBe(200);
    await expect(db().execute(sql`delete from questions where id = ${choice!.id}`)).rejects.toThrow();
    expect(await db().select().from(answers).where(eq(answers.questionId, choice!.id))).toHaveLength(1);
  });

  it("an answer racing the removal of an unanswered question gets a 404 or is kept, never an error", async () => {
    for (let i = 0; i < 12; i++) {
      const saved = await saveQuestion(account.id, { kind: "free_text", prompt: `Anything else? ${i}` });
      if (!saved.ok) throw new Error(saved.error);
      const s = await startSession(`race-${i}@example.com`);
      const [recorded, removed] = await Promise.all([
        recordWidgetAnswer(s.sessionId, { sessionToken: s.sessionToken, questionId: saved.questionId, text: "late" }),
        deleteQuestion(account.id, saved.questionId),
      ]);
      expect(removed.ok).toBe(true);
      if (recorded.ok) {
        // The answer got in first: the question is archived and the answer kept.
        expect(removed).toMatchObject({ archived: true });
      } else {
        expect(recorded).toMatchObject({ status: 404, error: expect.stringMatching(/not found/i) });
      }
    }
  });

  it("still lets a whole account go, answers and questions together", async () => {
    const { account: leaving } = await createTestAccount("Leaving");
    const email = "gone@example.com";
    const signed = signedIdentity(decryptSecret(leaving.widgetSecretEnc), { email });
    const res = await sessionsPOST(post("/api/widget/sessions", { publicKey: leaving.publicKey, email, ...signed }));
    const s = (await res.json()) as Started;
    expect((await answer(s, s.flow.questions[2]!.id, { rating: 2 })).status).toBe(200);
    await db().delete(accounts).where(eq(accounts.id, leaving.id));
    expect(await db().select().from(questions).where(eq(questions.accountId, leaving.id))).toEqual([]);
    expect(await db().select().from(answers).where(eq(answers.accountId, leaving.id))).toEqual([]);
  });
});
