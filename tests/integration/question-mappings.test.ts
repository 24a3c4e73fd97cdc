import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { intercomConnections, questionMappings } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { getFlowForEditor, saveQuestion } from "@/lib/flows/flow-editor";
import { listQuestionMappings, loadIntercomAttributes, pickableAttributes, saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

describe("question mappings", () => {
  const db = setupTestDb();
  const emulators: RunningEmulator[] = [];

  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
  });

  /** A workspace is live for one account only, so each account gets an emulator of its own. */
  async function connectedAccount() {
    const emulator = await startTestEmulator({ contactCount: 1 });
    emulators.push(emulator);
    useEmulatorHosts(emulator);
    const { account } = await createTestAccount("Mappings");
    const connection = await connectAccountToEmulator(account.id, emulator);
    const flow = await getFlowForEditor(account.id);
    const [choice, free, rating] = flow!.questions;
    return { emulator, connection, account, choice: choice!, free: free!, rating: rating! };
  }

  it("saves valid mappings with the attribute's type and list options", async () => {
    const { account, choice, free, rating } = await connectedAccount();
    const result = await saveQuestionMappings(account.id, [
      { questionId: choice.id, intercomAttribute: "cancel_reason_code" },
      { questionId: free.id, intercomAttribute: "cancel_comment" },
      { questionId: rating.id, intercomAttribute: "lifetime_value" },
    ]);
    expect(result).toEqual({ ok: true, saved: 3 });
    const rows = await listQuestionMappings(account.id);
    expect(rows.map((r) => [r.intercomAttribute, r.intercomDataType, r.intercomOptions])).toEqual([
      ["cancel_reason_code", "string", ["too_expensive", "missing_feature", "switching", "other"]],
      ["cancel_comment", "string", null],
      ["lifetime_value", "float", null],
    ]);
    // Saving again replaces the set: an empty list clears it.
    expect(await saveQuestionMappings(account.id, [])).toEqual({ ok: true, saved: 0 });
    expect(await listQuestionMappings(account.id)).toHaveLength(0);
  });

  it("rejects type mismatches, list option mismatches and archived attributes with per-row messages", async () => {
    const { account, choice, free, rating } = await connectedAccount();
    const noCodes = await saveQuestion(account.id, {
      kind: "multiple_choice",
      prompt: "Your plan tier?",
      options: [{ text: "Free", reasonCode: "free" }, { text: "Professional" }],
    });
    if (!noCodes.ok) throw new Error(noCodes.error);
    const result = await saveQuestionMappings(account.id, [
      { questionId: rating.id, intercomAttribute: "cancel_reason" },
      { questionId: free.id, intercomAttribute: "cancel_reason_code" },
      { questionId: noCodes.questionId, intercomAttribute: "account_tier" },
      { questionId: choice.id, intercomAttribute: "legacy_score" },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe("4 mappings need attention.");
    expect(result.rowErrors[0]).toMatch(/Rating answers are numbers, but "Cancel reason" is a string attribute/);
    expect(result.rowErrors[1]).toMatch(/free-text answers can't be stored/);
    expect(result.rowErrors[2]).toMatch(/only accepts "free", "pro", "enterprise".*"Professional"/);
    expect(result.rowErrors[3]).toMatch(/archived/);
    expect(await listQuestionMappings(account.id)).toHaveLength(0);
  });

  it("rejects standard, read-only and unknown attributes, and duplicates", async () => {
    const { emulator, account, choice, free, rating } = await connectedAccount();
    emulator.store.addCustomAttribute({
      type: "data_attribute",
      model: "contact",
      name: "locked_value",
      full_name: "custom_attributes.locked_value",
      label: "Locked value",
      description: "",
      data_type: "string",
      api_writable: false,
      ui_writable: true,
      messenger_writable: false,
      custom: true,
      archived: false,
    });
    const result = await saveQuestionMappings(account.id, [
      { questionId: choice.id, intercomAttribute: "cancel_reason" },
      { questionId: choice.id, intercomAttribute: "cancel_comment" },
      { questionId: free.id, intercomAttribute: "cancel_reason" },
      { questionId: rating.id, intercomAttribute: "no_such_attribute" },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rowErrors).toEqual([
      null,
      "This question is already mapped in another row.",
      "This Intercom attribute is already used by another row.",
      expect.stringMatching(/no custom attribute named "no_such_attribute"/),
    ]);
    const locked = await saveQuestionMappings(account.id, [{ questionId: free.id, intercomAttribute: "locked_value" }]);
    expect(locked).toMatchObject({ ok: false, rowErrors: [expect.stringMatching(/read-only/)] });
    const standard = await saveQuestionMappings(account.id, [{ questionId: free.id, intercomAttribute: "name" }]);
    expect(standard).toMatchObject({ ok: false, rowErrors: [expect.stringMatching(/standard Intercom attribute/)] });
  });

  it("never maps another account's question", async () => {
    const mine = await connectedAccount();
    const { account: other } = await createTestAccount("Other");
    const theirs = await getFlowForEditor(other.id);
    const result = await saveQuestionMappings(mine.account.id, [{ questionId: theirs!.questions[1]!.id, intercomAttribute: "cancel_comment" }]);
    expect(result).toMatchObject({ ok: false, rowErrors: ["This question no longer exists."] });
  });

  it("refuses to save without a live connection and lists only writable custom attributes", async () => {
    const { account } = await createTestAccount("NoConn");
    const flow = await getFlowForEditor(account.id);
    const result = await saveQuestionMappings(account.id, [{ questionId: flow!.questions[1]!.id, intercomAttribute: "cancel_comment" }]);
    expect(result).toMatchObject({ ok: false, error: /Connect Intercom/ });
    expect(await loadIntercomAttributes(account.id)).toMatchObject({ state: "not_connected" });

    const connected = await connectedAccount();
    const loaded = await loadIntercomAttributes(connected.account.id);
    if (loaded.state !== "ok") throw new Error(loaded.state);
    const names = pickableAttributes(loaded.attributes).map((a) => a.name);
    expect(names).toContain("cancel_reason_code");
    expect(names).not.toContain("legacy_score");
    expect(names).not.toContain("email");
  });

  it("a 401 while loading attributes marks the connection reconnect_required", async () => {
    const { emulator, connection, account } = await connectedAccount();
    emulator.revokeAll();
    expect(await loadIntercomAttributes(account.id)).toMatchObject({ state: "reconnect_required" });
    const [row] = await db().select().from(intercomConnections).where(eq(intercomConnections.id, connection.id));
    expect(row?.status).toBe("reconnect_required");
  });

  it("keeps a mapped question's options within its list attribute when the flow is edited", async () => {
    const { account, choice } = await connectedAccount();
    expect(await saveQuestionMappings(account.id, [{ questionId: choice.id, intercomAttribute: "cancel_reason_code" }])).toMatchObject({ ok: true });
    const edit = await saveQuestion(account.id, {
      id: choice.id,
      kind: "multiple_choice",
      prompt: choice.prompt,
      options: [...choice.options.map((o) => ({ id: o.id, text: o.text, reasonCode: o.reasonCode ?? undefined })), { text: "Bad support" }],
    });
    expect(edit).toMatchObject({ ok: false, error: expect.stringMatching(/only accepts.*not accepted: Bad support/) });
    const toText = await saveQuestion(account.id, { id: choice.id, kind: "free_text", prompt: choice.prompt });
    expect(toText).toMatchObject({ ok: false, error: expect.stringMatching(/list attribute/) });
    const [mapping] = await db().select().from(questionMappings).where(eq(questionMappings.questionId, choice.id));
    expect(mapping?.intercomAttribute).toBe("cancel_reason_code");
  });
});
