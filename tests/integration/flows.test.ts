import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { questions } from "@/db/schema";
import { deleteQuestion, getFlowForEditor, reorderQuestions, saveQuestion } from "@/lib/flows/flow-editor";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

describe("flow editor", () => {
  const db = setupTestDb();

  async function editorOf(accountId: string) {
    const flow = await getFlowForEditor(accountId);
    if (!flow) throw new Error("no flow");
    return flow;
  }

  it("shows the starter flow: reason (with codes), free text, rating", async () => {
    const { account } = await createTestAccount("Flows");
    const { questions: qs } = await editorOf(account.id);
    expect(qs.map((q) => q.kind)).toEqual(["multiple_choice", "free_text", "rating"]);
    expect(qs[0]!.options.map((o) => o.reasonCode)).toEqual(["too_expensive", "missing_feature", "switching", "other"]);
  });

  it("adds, edits (keeping option ids), reorders and removes questions", async () => {
    const { account } = await createTestAccount("Flows");
    const added = await saveQuestion(account.id, {
      kind: "multiple_choice",
      prompt: "  Would a discount change your mind?  ",
      options: [{ text: "Yes", reasonCode: "discount_yes" }, { text: "No" }],
    });
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    let flow = await editorOf(account.id);
    const created = flow.questions.at(-1)!;
    expect(created).toMatchObject({ id: added.questionId, prompt: "Would a discount change your mind?", position: 4 });
    expect(created.options.map((o) => [o.text, o.reasonCode])).toEqual([["Yes", "discount_yes"], ["No", null]]);

    const [yes, no] = created.options;
    const edited = await saveQuestion(account.id, {
      id: created.id,
      kind: "multiple_choice",
      prompt: "Would 50% off change your mind?",
      options: [{ id: no!.id, text: "No thanks" }, { text: "Maybe", reasonCode: "discount_maybe" }, { id: yes!.id, text: "Yes", reasonCode: "discount_yes" }],
    });
    expect(edited).toEqual({ ok: true, questionId: created.id });
    flow = await editorOf(account.id);
    const after = flow.questions.find((q) => q.id === created.id)!;
    expect(after.prompt).toBe("Would 50% off change your mind?");
    expect(after.options.map((o) => o.text)).toEqual(["No thanks", "Maybe", "Yes"]);
    expect(after.options[0]!.id).toBe(no!.id);
    expect(after.options[2]!.id).toBe(yes!.id);

    const order = flow.questions.map((q) => q.id).reverse();
    expect(await reorderQuestions(account.id, order)).toEqual({ ok: true });
    expect((await editorOf(account.id)).questions.map((q) => q.id)).toEqual(order);

    expect(await deleteQuestion(account.id, created.id)).toEqual({ ok: true, archived: false });
    expect((await editorOf(account.id)).questions).toHaveLength(3);
  });

  it("switching a choice question to free text drops its options", async () => {
    const { account } = await createTestAccount("Flows");
    const choice = (await editorOf(account.id)).questions[0]!;
    expect(await saveQuestion(account.id, { id: choice.id, kind: "free_text", prompt: "Why are you leaving?" })).toMatchObject({ ok: true });
    const after = (await editorOf(account.id)).questions[0]!;
    expect(after).toMatchObject({ kind: "free_text", options: [] });
  });

  it("rejects invalid questions with a clear message", async () => {
    const { account } = await createTestAccount("Flows");
    const cases: [unknown, RegExp][] = [
      [{ kind: "free_text", prompt: "  " }, /question text is required/],
      [{ kind: "multiple_choice", prompt: "Why?", options: [{ text: "Only one" }] }, /at least two options/],
      [{ kind: "multiple_choice", prompt: "Why?", options: [{ text: "A", reasonCode: "Too Expensive!" }, { text: "B" }] }, /lowercase letters/],
      [{ kind: "multiple_choice", prompt: "Why?", options: [{ text: "A", reasonCode: "x" }, { text: "B", reasonCode: "x" }] }, /reason code may be used once/],
      [{ kind: "multiple_choice", prompt: "Why?", options: [{ text: "Same" }, { text: "same" }] }, /Options must differ/],
      [{ kind: "poll", prompt: "Why?" }, /Choose a question type/],
    ];
    for (const [input, message] of cases) {
      const result = await saveQuestion(account.id, input);
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(message) });
    }
  });

  it("refuses to delete with an id that is not a question id, with a clear message and nothing removed", async () => {
    const { account } = await createTestAccount("BadIds");
    for (const id of ["not-a-uuid", "", "1; drop table questions", 42, null, undefined, { id: "x" }]) {
      expect(await deleteQuestion(account.id, id)).toEqual({ ok: false, error: "Question not found." });
    }
    expect((await editorOf(account.id)).questions).toHaveLength(3);
  });

  it("never edits, removes or reorders another account's questions", async () => {
    const { account: mine } = await createTestAccount("Mine");
    const { account: theirs } = await createTestAccount("Theirs");
    const target = (await editorOf(theirs.id)).questions[1]!;

    expect(await saveQuestion(mine.id, { id: target.id, kind: "free_text", prompt: "Hijacked" })).toEqual({ ok: false, error: "Question not found." });
    expect(await deleteQuestion(mine.id, target.id)).toEqual({ ok: false, error: "Question not found." });
    const theirIds = (await editorOf(theirs.id)).questions.map((q) => q.id);
    expect(await reorderQuestions(mine.id, theirIds)).toMatchObject({ ok: false });

    const [still] = await db().select().from(questions).where(eq(questions.id, target.id));
    expect(still?.prompt).toBe(target.prompt);
    expect((await editorOf(mine.id)).questions).toHaveLength(3);
  });
});
