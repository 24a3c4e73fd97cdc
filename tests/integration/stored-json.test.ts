import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { alerts, answerDeliveries, questionMappings, webhookEvents } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { getFlowForEditor, saveQuestion } from "@/lib/flows/flow-editor";
import { drainDueDeliveries } from "@/lib/forwarding/drain";
import { checkMappingHealth } from "@/lib/mappings/mapping-health";
import { saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { processWebhookEvents } from "@/lib/webhooks/process-webhook-events";
import { setupTestDb } from "../support/db";
import { mapCommentQuestion, seedDelivery } from "../support/delivery-fixtures";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

/**
 * jsonb read back from our own tables is a boundary too: a row that does not have the shape the
 * code expects (an old bug, a hand edit, a restore) becomes a visible error state with a reason,
 * never a crash and never a wrong write to Intercom.
 */
describe("stored JSON that does not parse", () => {
  const db = setupTestDb();
  const emulators: RunningEmulator[] = [];

  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
  });

  async function tenant(label: string) {
    const emulator = await startTestEmulator({ contactCount: 0 });
    emulators.push(emulator);
    useEmulatorHosts(emulator);
    const { account } = await createTestAccount(label);
    await connectAccountToEmulator(account.id, emulator);
    return { account, emulator };
  }

  const openAlerts = (accountId: string) => db().select().from(alerts).where(and(eq(alerts.accountId, accountId), isNull(alerts.resolvedAt)));

  it("a delivery whose stored value is not a string or number needs attention with a reason, and is never sent", async () => {
    const { account, emulator } = await tenant("BadValue");
    const questionId = await mapCommentQuestion(account);
    const good = await seedDelivery(account, emulator, questionId, { email: "good@example.com", text: "Fine" });
    const bad = await seedDelivery(account, emulator, questionId, {
      email: "bad@example.com",
      text: "Corrupted later",
      patch: { value: { text: "Corrupted later" } as unknown as string },
    });

    await drainDueDeliveries({ budgetMs: 20_000, accountId: account.id });

    const [badRow] = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, bad.deliveryId));
    expect(badRow).toMatchObject({ state: "needs_attention", attentionReason: "invalid_value", lastErrorCode: "invalid_value" });
    expect(badRow!.lastError).toMatch(/not a string or a number/);
    expect(emulator.requests.filter((r) => r.method === "PUT" && r.path === `/contacts/${bad.contactId}`)).toEqual([]);

    // One corrupt row is not Intercom refusing the attribute: the mapping and the other answers are untouched.
    const [goodRow] = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, good.deliveryId));
    expect(goodRow).toMatchObject({ state: "delivered" });
    const [mapping] = await db().select().from(questionMappings).where(eq(questionMappings.accountId, account.id));
    expect(mapping).toMatchObject({ status: "ok" });
    expect(await openAlerts(account.id)).toEqual([]);
  });

  it("a question mapping whose stored Intercom options are unreadable refuses edits it cannot check, until a mapping check reloads them", async () => {
    const { account } = await tenant("BadOptions");
    const flow = (await getFlowForEditor(account.id))!;
    const choice = flow.questions.find((q) => q.kind === "multiple_choice")!;
    expect(await saveQuestionMappings(account.id, [{ questionId: choice.id, intercomAttribute: "cancel_reason_code" }])).toEqual({ ok: true, saved: 1 });
    // A string where a list belongs: read with a cast, "switch" is "in" it as a substring.
    await db()
      .update(questionMappings)
      .set({ intercomOptions: sql`'"too_expensive,missing_feature,switching,other"'::jsonb` })
      .where(eq(questionMappings.accountId, account.id));

    expect((await getFlowForEditor(account.id))!.questions.find((q) => q.id === choice.id)!.mapping).toMatchObject({ options: null });
    const edit = {
      id: choice.id,
      kind: "multiple_choice",
      prompt: choice.prompt,
      options: choice.options.map((o) => ({ id: o.id, text: o.text, reasonCode: o.reasonCode === "switching" ? "switch" : o.reasonCode })),
    };
    const refused = await saveQuestion(account.id, edit);
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/unreadable.*Check mappings/) });

    // The mapping check reads the options from Intercom again; the edit is then judged on them.
    expect(await checkMappingHealth(account.id)).toMatchObject({ ok: true, broken: [] });
    const [mapping] = await db().select().from(questionMappings).where(eq(questionMappings.accountId, account.id));
    expect(mapping!.intercomOptions).toEqual(["too_expensive", "missing_feature", "switching", "other"]);
    expect(await saveQuestion(account.id, edit)).toMatchObject({ ok: false, error: expect.stringMatching(/only accepts.*not accepted: switch/) });
  });

  it("a stored notification whose payload does not parse fails at once with a reason instead of crashing its retries", async () => {
    const { account, emulator } = await tenant("BadPayload");
    const survivor = emulator.store.createContact({ email: "survivor@example.com", role: "user" });
    const base = { accountId: account.id, workspaceId: emulator.workspace.id, contactId: survivor.id };
    const rows = await db()
      .insert(webhookEvents)
      .values([
        { ...base, notificationId: "notif_null_payload", topic: "contact.merged", payload: sql`'null'::jsonb` },
        { ...base, notificationId: "notif_bad_merged_from", topic: "contact.merged", payload: { data: { item: { ...survivor, merged_from: "abc" } } } },
        { ...base, notificationId: "notif_bad_item", topic: "contact.user.updated", payload: { data: { item: "not a contact" } } },
      ])
      .returning({ id: webhookEvents.id, notificationId: webhookEvents.notificationId });

    await processWebhookEvents({ budgetMs: 10_000 });

    const stored = await db().select().from(webhookEvents).where(eq(webhookEvents.accountId, account.id));
    const byNotification = new Map(stored.map((e) => [e.notificationId, e]));
    expect(rows).toHaveLength(3);
    expect(byNotification.get("notif_null_payload")).toMatchObject({ status: "failed", attempts: 1, error: expect.stringMatching(/merged_from/) });
    expect(byNotification.get("notif_bad_merged_from")).toMatchObject({ status: "failed", attempts: 1, error: expect.stringMatching(/merged_from/) });
    expect(byNotification.get("notif_bad_item")).toMatchObject({ status: "failed", attempts: 1, error: expect.stringMatching(/not a contact/) });
  });
});
