import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerDeliveries, intercomConnections, subscribers } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { decryptSecret, encryptSecret } from "@/lib/crypto/encryption";
import { resetEnvCache } from "@/lib/env";
import { saveQuestion } from "@/lib/flows/flow-editor";
import { deliverAnswer, retryDelivery } from "@/lib/forwarding/deliver";
import { drainDueDeliveries } from "@/lib/forwarding/drain";
import { saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { signIdentity } from "@/lib/widget/identity";
import { recordWidgetAnswer } from "@/lib/widget/record-answer";
import { startWidgetSession } from "@/lib/widget/start-session";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

type Account = Awaited<ReturnType<typeof createTestAccount>>["account"];

describe("answer write-back to Intercom", () => {
  const db = setupTestDb();
  let emulator: RunningEmulator;
  let account: Account;
  let questionIds: { choice: string; free: string; rating: string; plain: string };

  beforeAll(async () => {
    emulator = await startTestEmulator({ contactCount: 5 });
    useEmulatorHosts(emulator);
    ({ account } = await createTestAccount("WriteBack"));
    await connectAccountToEmulator(account.id, emulator);
    const start = await startAs("setup@example.com");
    const [choice, free, rating] = start.flow.questions;
    // A choice question whose options have no reason codes: Intercom gets the option text.
    const plain = await saveQuestion(account.id, {
      kind: "multiple_choice",
      prompt: "Which plan were you on?",
      options: [{ text: "Starter plan" }, { text: "Team plan" }],
    });
    if (!plain.ok) throw new Error(plain.error);
    questionIds = { choice: choice!.id, free: free!.id, rating: rating!.id, plain: plain.questionId };
    const saved = await saveQuestionMappings(account.id, [
      { questionId: questionIds.choice, intercomAttribute: "cancel_reason_code" },
      { questionId: questionIds.free, intercomAttribute: "cancel_comment" },
      { questionId: questionIds.rating, intercomAttribute: "cancel_rating" },
      { questionId: questionIds.plain, intercomAttribute: "cancel_reason" },
    ]);
    expect(saved).toEqual({ ok: true, saved: 4 });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  async function startAs(email: string, acct: Account = account) {
    const secret = decryptSecret(acct.widgetSecretEnc);
    const result = await startWidgetSession({ publicKey: acct.publicKey, email, signature: signIdentity(secret, { email }) });
    if (!result.ok) throw new Error(result.error);
    return result;
  }

  /** A subscriber in a session, linked (as the sync would) to a fresh emulator contact. */
  async function linkedSession(email: string, acct: Account = account, emu: RunningEmulator = emulator) {
    const session = await startAs(email, acct);
    const contact = emu.store.createContact({ email, role: "user" });
    await db()
      .update(subscribers)
      .set({ intercomContactId: contact.id, intercomMatch: "matched" })
      .where(and(eq(subscribers.accountId, acct.id), eq(subscribers.emailKey, email)));
    return { session, contactId: contact.id };
  }

  async function answer(session: Awaited<ReturnType<typeof startAs>>, questionId: string, body: object) {
    const result = await recordWidgetAnswer(session.sessionId, { sessionToken: session.sessionToken, questionId, ...body });
    if (!result.ok || !result.deliveryId) throw new Error(result.ok ? "no delivery" : result.error);
    return result.deliveryId;
  }

  const optionId = (session: Awaited<ReturnType<typeof startAs>>, questionId: string, text: string) =>
    session.flow.questions.find((q) => q.id === questionId)!.options.find((o) => o.text === text)!.id;

  async function delivery(id: string) {
    const [row] = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, id));
    return row!;
  }

  /** Jumps a delivery's backoff so the next drain picks it up (stands in for waiting). */
  async function makeDue(id: string) {
    await db().update(answerDeliveries).set({ nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(answerDeliveries.id, id));
  }

  it("writes each question type to the contact: reason code, option text, truncated text, rating", async () => {
    const { session, contactId } = await linkedSession("writes.all@example.com");
    const ids = [
      await answer(session, questionIds.choice, { optionId: optionId(session, questionIds.choice, "I'm switching to another tool") }),
      await answer(session, questionIds.plain, { optionId: optionId(session, questionIds.plain, "Team plan") }),
      await answer(session, questionIds.free, { text: `${"Too slow. ".repeat(60)}😀` }),
      await answer(session, questionIds.rating, { rating: 7 }),
    ];
    const totals = await drainDueDeliveries({ budgetMs: 10_000, accountId: account.id });
    expect(totals).toEqual({ attempted: 4, delivered: 4, failed: 0 });

    const attrs = emulator.store.getContact(contactId)!.contact.custom_attributes;
    expect(attrs.cancel_reason_code).toBe("switching");
    expect(attrs.cancel_reason).toBe("Team plan");
    expect(attrs.cancel_comment).toBe("Too slow. ".repeat(60).slice(0, 255));
    expect(attrs.cancel_rating).toBe(7);
    for (const id of ids) expect(await delivery(id)).toMatchObject({ state: "delivered", contactId, lastError: null });
    expect((await delivery(ids[2]!)).truncated).toBe(true);
  });

  it("keeps a delivery pending through a 429 and a 5xx, then delivers it on a later drain", async () => {
    const { session, contactId } = await linkedSession("flaky@example.com");
    const id = await answer(session, questionIds.rating, { rating: 2 });
    emulator.faults.inject({ status: 429, match: { method: "PUT", pathPrefix: "/contacts" } });
    emulator.faults.inject({ status: 502, match: { method: "PUT", pathPrefix: "/contacts" } });

    await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
    const afterRateLimit = await delivery(id);
    expect(afterRateLimit).toMatchObject({ state: "pending", attempts: 1, lastErrorCode: "rate_limit_exceeded" });
    expect(afterRateLimit.lastError).toMatch(/rate limit/i);
    expect(afterRateLimit.lastRequestId).toBeTruthy();
    expect(afterRateLimit.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: another drain leaves it alone.
    expect(await drainDueDeliveries({ budgetMs: 5000, accountId: account.id })).toEqual({ attempted: 0, delivered: 0, failed: 0 });

    await makeDue(id);
    await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
    expect(await delivery(id)).toMatchObject({ state: "pending", attempts: 2, lastErrorCode: "server" });

    await makeDue(id);
    await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
    expect(await delivery(id)).toMatchObject({ state: "delivered", attempts: 3 });
    expect(emulator.store.getContact(contactId)!.contact.custom_attributes.cancel_rating).toBe(2);
  });

  it("marks a timed-out write unknown and re-sends the same value later", async () => {
    process.env.INTERCOM_TIMEOUT_MS = "300";
    resetEnvCache();
    try {
      const { session, contactId } = await linkedSession("slow@example.com");
      const id = await answer(session, questionIds.rating, { rating: 9 });
      emulator.faults.hang({ ms: 1500, match: { method: "PUT", pathPrefix: "/contacts" } });
      expect(await deliverAnswer(id)).toBe("unknown");
      expect(await delivery(id)).toMatchObject({ state: "unknown", lastErrorCode: "timeout" });
      await makeDue(id);
      expect(await deliverAnswer(id)).toBe("delivered");
      expect(emulator.store.getContact(contactId)!.contact.custom_attributes.cancel_rating).toBe(9);
    } finally {
      delete process.env.INTERCOM_TIMEOUT_MS;
      resetEnvCache();
    }
  });

  it("gives up as failed after 8 attempts", async () => {
    const { session } = await linkedSession("doomed@example.com");
    const id = await answer(session, questionIds.rating, { rating: 1 });
    await db().update(answerDeliveries).set({ attempts: 7 }).where(eq(answerDeliveries.id, id));
    emulator.faults.inject({ status: 503, match: { method: "PUT", pathPrefix: "/contacts" } });
    expect(await deliverAnswer(id)).toBe("failed");
    expect((await delivery(id)).lastError).toMatch(/Gave up after 8 attempts/);
    // An admin's manual retry sends it again.
    expect(await retryDelivery(account.id, id)).toEqual({ ok: true, outcome: "delivered" });
  });

  it("waits for the sync to link a contact, then delivers", async () => {
    const email = "unlinked@example.com";
    const session = await startAs(email);
    const id = await answer(session, questionIds.rating, { rating: 6 });
    expect(await deliverAnswer(id)).toBe("skipped");
    const waiting = await delivery(id);
    expect(waiting).toMatchObject({ state: "pending", attempts: 0, lastError: "No matching Intercom contact yet" });
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());

    const contact = emulator.store.createContact({ email, role: "user" });
    await db()
      .update(subscribers)
      .set({ intercomContactId: contact.id })
      .where(and(eq(subscribers.accountId, account.id), eq(subscribers.emailKey, email)));
    await makeDue(id);
    expect(await deliverAnswer(id)).toBe("delivered");
    expect(emulator.store.getContact(contact.id)!.contact.custom_attributes.cancel_rating).toBe(6);
  });

  it("puts a value outside a list attribute's options in needs_attention with Intercom's message", async () => {
    const { session, contactId } = await linkedSession("listy@example.com");
    // Someone edits the list in Intercom after the mapping was saved.
    const attribute = emulator.store.customAttribute("cancel_reason_code")!;
    const before = attribute.options;
    attribute.options = ["missing_feature", "switching", "other"];
    try {
      const id = await answer(session, questionIds.choice, { optionId: optionId(session, questionIds.choice, "It's too expensive") });
      expect(await deliverAnswer(id)).toBe("needs_attention");
      const row = await delivery(id);
      expect(row).toMatchObject({ state: "needs_attention", lastErrorCode: "parameter_invalid" });
      expect(row.lastError).toMatch(/'too_expensive' is not an option/);
      expect(emulator.store.getContact(contactId)!.contact.custom_attributes.cancel_reason_code).toBeUndefined();
      // Not retried by later drains.
      await makeDue(id);
      await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
      expect((await delivery(id)).state).toBe("needs_attention");
    } finally {
      attribute.options = before;
    }
  });

  it("puts a write to a deleted contact in needs_attention as contact not found", async () => {
    const { session, contactId } = await linkedSession("gone@example.com");
    emulator.store.deleteContact(contactId);
    const id = await answer(session, questionIds.rating, { rating: 5 });
    expect(await deliverAnswer(id)).toBe("needs_attention");
    expect((await delivery(id)).lastError).toMatch(/contact not found/i);
  });

  it("sends each due delivery once even when two drains run at the same time", async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const { session } = await linkedSession(`parallel${n}@example.com`);
      ids.push(await answer(session, questionIds.rating, { rating: n }));
    }
    emulator.clearRequests();
    const [a, b] = await Promise.all([
      drainDueDeliveries({ budgetMs: 10_000, accountId: account.id }),
      drainDueDeliveries({ budgetMs: 10_000, accountId: account.id }),
    ]);
    expect(a.delivered + b.delivered).toBe(6);
    expect(emulator.requests.filter((r) => r.method === "PUT")).toHaveLength(6);
    for (const id of ids) expect((await delivery(id)).state).toBe("delivered");
  });

  it("on 401 marks the connection reconnect_required and keeps the delivery pending, untouched until reconnect", async () => {
    const emu = await startTestEmulator({ contactCount: 1 });
    try {
      useEmulatorHosts(emu);
      const { account: acct } = await createTestAccount("Revoked");
      const conn = await connectAccountToEmulator(acct.id, emu);
      const start = await startAs("before@example.com", acct);
      const rating = start.flow.questions[2]!.id;
      expect(await saveQuestionMappings(acct.id, [{ questionId: rating, intercomAttribute: "cancel_rating" }])).toEqual({ ok: true, saved: 1 });
      const { session, contactId } = await linkedSession("revoked@example.com", acct, emu);
      const id = await answer(session, rating, { rating: 8 });

      emu.revokeAll();
      expect(await deliverAnswer(id)).toBe("pending");
      const [c] = await db().select().from(intercomConnections).where(eq(intercomConnections.id, conn.id));
      expect(c?.status).toBe("reconnect_required");
      const kept = await delivery(id);
      expect(kept).toMatchObject({ state: "pending", attempts: 0, lastErrorCode: "token_revoked" });

      emu.clearRequests();
      expect(await drainDueDeliveries({ budgetMs: 2000, accountId: acct.id })).toEqual({ attempted: 0, delivered: 0, failed: 0 });
      expect(emu.requests).toHaveLength(0);

      // Reconnecting (a fresh token) resumes the queue.
      await db()
        .update(intercomConnections)
        .set({ status: "connected", statusReason: null, accessTokenEnc: encryptSecret(emu.issueToken()) })
        .where(eq(intercomConnections.id, conn.id));
      expect(await drainDueDeliveries({ budgetMs: 5000, accountId: acct.id })).toMatchObject({ delivered: 1 });
      expect(emu.store.getContact(contactId)!.contact.custom_attributes.cancel_rating).toBe(8);
    } finally {
      useEmulatorHosts(emulator);
      await emu.close();
    }
  });
});
