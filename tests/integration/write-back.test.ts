import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts, answerDeliveries, intercomConnections, questionMappings, subscribers } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { completeIntercomConnect, startIntercomConnect } from "@/lib/connections/oauth-connect";
import { decryptSecret } from "@/lib/crypto/encryption";
import { resetEnvCache } from "@/lib/env";
import { saveQuestion } from "@/lib/flows/flow-editor";
import { deliverAnswer, retryDelivery } from "@/lib/forwarding/deliver";
import { drainDueDeliveries } from "@/lib/forwarding/drain";
import { saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { signedIdentity } from "../support/widget-identity";
import { recordWidgetAnswer } from "@/lib/widget/record-answer";
import { startWidgetSession } from "@/lib/widget/start-session";
import { setupTestDb } from "../support/db";
import { approveConsent } from "../support/emulator-consent";
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
    const saved = await saveQuestionMappings(account.id, currentMappings());
    expect(saved).toEqual({ ok: true, saved: 4 });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  const currentMappings = () => [
    { questionId: questionIds.choice, intercomAttribute: "cancel_reason_code" },
    { questionId: questionIds.free, intercomAttribute: "cancel_comment" },
    { questionId: questionIds.rating, intercomAttribute: "cancel_rating" },
    { questionId: questionIds.plain, intercomAttribute: "cancel_reason" },
  ];

  const putsTo = (contactId: string) => emulator.requests.filter((r) => r.method === "PUT" && r.path === `/contacts/${contactId}`);

  const openAlerts = (accountId = account.id) =>
    db().select().from(alerts).where(and(eq(alerts.accountId, accountId), isNull(alerts.resolvedAt)));

  async function subscriberByEmail(email: string) {
    const [row] = await db().select().from(subscribers).where(and(eq(subscribers.accountId, account.id), eq(subscribers.emailKey, email)));
    return row!;
  }

  async function startAs(email: string, acct: Account = account) {
    const secret = decryptSecret(acct.widgetSecretEnc);
    const result = await startWidgetSession({ publicKey: acct.publicKey, email, ...signedIdentity(secret, { email }) });
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
    emulator.clearRequests();
    const totals = await drainDueDeliveries({ budgetMs: 10_000, accountId: account.id });
    expect(totals).toEqual({ attempted: 4, delivered: 4, failed: 0 });
    // One contact, one write.
    expect(putsTo(contactId)).toHaveLength(1);

    const attrs = emulator.store.getContact(contactId)!.contact.custom_attributes;
    expect(attrs.cancel_reason_code).toBe("switching");
    expect(attrs.cancel_reason).toBe("Team plan");
    expect(attrs.cancel_comment).toBe("Too slow. ".repeat(60).slice(0, 255));
    expect(attrs.cancel_rating).toBe(7);
    for (const id of ids) expect(await delivery(id)).toMatchObject({ state: "delivered", contactId, lastError: null });
    expect((await delivery(ids[2]!)).truncated).toBe(true);
  });

  it("waits out a 429 without spending an attempt, backs off a 5xx, then delivers on a later drain", async () => {
    const { session, contactId } = await linkedSession("flaky@example.com");
    const id = await answer(session, questionIds.rating, { rating: 2 });
    emulator.faults.inject({ status: 429, match: { method: "PUT", pathPrefix: "/contacts" } });
    emulator.faults.inject({ status: 502, match: { method: "PUT", pathPrefix: "/contacts" } });

    await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
    const afterRateLimit = await delivery(id);
    expect(afterRateLimit).toMatchObject({ state: "pending", attempts: 0, lastErrorCode: "rate_limit_exceeded", lastStatus: 429 });
    expect(afterRateLimit.lastError).toMatch(/rate limit/i);
    expect(afterRateLimit.lastRequestId).toBeTruthy();
    // Until Intercom's reset (the end of its 10-second window), plus jitter.
    expect(afterRateLimit.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(afterRateLimit.nextAttemptAt.getTime()).toBeLessThan(Date.now() + 13_000);
    // Not due yet: another drain leaves it alone.
    expect(await drainDueDeliveries({ budgetMs: 5000, accountId: account.id })).toEqual({ attempted: 0, delivered: 0, failed: 0 });

    await makeDue(id);
    await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
    const afterGateway = await delivery(id);
    expect(afterGateway).toMatchObject({ state: "pending", attempts: 1, lastErrorCode: "server", lastStatus: 502 });
    expect(afterGateway.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 10_000);

    await makeDue(id);
    await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
    expect(await delivery(id)).toMatchObject({ state: "delivered", attempts: 2 });
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

  it("marks the mapping broken on a value outside a list's options, parks its answers, and requeues them once the admin fixes it", async () => {
    const { session, contactId } = await linkedSession("listy@example.com");
    // Someone edits the list in Intercom after the mapping was saved.
    const attribute = emulator.store.customAttribute("cancel_reason_code")!;
    const before = attribute.options;
    attribute.options = ["missing_feature", "switching", "other"];
    try {
      const id = await answer(session, questionIds.choice, { optionId: optionId(session, questionIds.choice, "It's too expensive") });
      expect(await deliverAnswer(id)).toBe("needs_attention");
      const row = await delivery(id);
      expect(row).toMatchObject({ state: "needs_attention", attentionReason: "mapping_broken", lastErrorCode: "parameter_invalid", lastStatus: 400 });
      expect(row.lastError).toMatch(/'too_expensive' is not an option/);
      expect(emulator.store.getContact(contactId)!.contact.custom_attributes.cancel_reason_code).toBeUndefined();

      const [mapping] = await db().select().from(questionMappings).where(eq(questionMappings.questionId, questionIds.choice));
      expect(mapping).toMatchObject({ status: "broken" });
      expect(mapping!.statusReason).toMatch(/'too_expensive' is not an option/);
      expect(mapping!.brokenAt).toBeInstanceOf(Date);
      const open = await openAlerts();
      expect(open).toContainEqual(
        expect.objectContaining({
          kind: "mapping_broken",
          subject: `question-mapping:${mapping!.id}`,
          fixUrl: expect.stringMatching(/^\/settings\/integrations\/intercom\/questions/),
        }),
      );

      // A later answer to the broken mapping is not sent at all, and drains leave both alone.
      const { session: later, contactId: laterContactId } = await linkedSession("listy2@example.com");
      const laterId = await answer(later, questionIds.choice, { optionId: optionId(later, questionIds.choice, "I'm switching to another tool") });
      emulator.clearRequests();
      await makeDue(id);
      await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
      expect([...putsTo(contactId), ...putsTo(laterContactId)]).toHaveLength(0);
      expect(await delivery(id)).toMatchObject({ state: "needs_attention", attentionReason: "mapping_broken" });
      expect(await delivery(laterId)).toMatchObject({ state: "needs_attention", attentionReason: "mapping_broken" });

      // The admin fixes the list in Intercom and saves the mappings again: both go out.
      attribute.options = before;
      expect(await saveQuestionMappings(account.id, currentMappings())).toEqual({ ok: true, saved: 4 });
      expect(await delivery(id)).toMatchObject({ state: "pending", attempts: 0, attentionReason: null });
      await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
      expect(await delivery(id)).toMatchObject({ state: "delivered" });
      expect(await delivery(laterId)).toMatchObject({ state: "delivered" });
      expect(emulator.store.getContact(contactId)!.contact.custom_attributes.cancel_reason_code).toBe("too_expensive");
      expect((await openAlerts()).filter((a) => a.kind === "mapping_broken")).toEqual([]);
    } finally {
      attribute.options = before;
    }
  });

  it("sends the good keys of a PUT Intercom refused for one bad key, and parks only the bad one", async () => {
    const { session, contactId } = await linkedSession("onebad@example.com");
    emulator.store.archiveAttribute("cancel_comment");
    try {
      const rating = await answer(session, questionIds.rating, { rating: 4 });
      const comment = await answer(session, questionIds.free, { text: "Archived attribute" });
      await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
      expect(await delivery(rating)).toMatchObject({ state: "delivered" });
      expect(await delivery(comment)).toMatchObject({ state: "needs_attention", attentionReason: "mapping_broken" });
      expect((await delivery(comment)).lastError).toMatch(/cancel_comment/);
      expect(emulator.store.getContact(contactId)!.contact.custom_attributes.cancel_rating).toBe(4);
    } finally {
      emulator.store.archiveAttribute("cancel_comment", false);
      expect(await saveQuestionMappings(account.id, currentMappings())).toEqual({ ok: true, saved: 4 });
    }
  });

  it("puts a write to a deleted contact with no other contact for the email in needs_attention: contact not found", async () => {
    const { session, contactId } = await linkedSession("gone@example.com");
    emulator.store.deleteContact(contactId);
    const id = await answer(session, questionIds.rating, { rating: 5 });
    expect(await deliverAnswer(id)).toBe("needs_attention");
    expect(await delivery(id)).toMatchObject({ state: "needs_attention", attentionReason: "contact_not_found", lastError: "contact not found" });
  });

  it("follows a merged contact to its survivor, relinks the subscriber and delivers there", async () => {
    const email = "merged@example.com";
    const { session, contactId } = await linkedSession(email);
    const survivor = emulator.store.createContact({ email: "survivor@example.com", role: "user" });
    emulator.store.mergeContact(contactId, survivor.id);
    const id = await answer(session, questionIds.rating, { rating: 3 });
    expect(await deliverAnswer(id)).toBe("delivered");
    expect(await delivery(id)).toMatchObject({ state: "delivered", contactId: survivor.id });
    expect(emulator.store.getContact(survivor.id)!.contact.custom_attributes.cancel_rating).toBe(3);
    expect((await subscriberByEmail(email)).intercomContactId).toBe(survivor.id);
  });

  it("finds another contact by email when the linked one was deleted, relinks and delivers", async () => {
    const email = "Relink@Example.com";
    const { session, contactId } = await linkedSession(email.toLowerCase());
    emulator.store.deleteContact(contactId);
    const lead = emulator.store.createContact({ email, role: "lead" });
    const user = emulator.store.createContact({ email, role: "user" });
    const id = await answer(session, questionIds.rating, { rating: 10 });
    expect(await deliverAnswer(id)).toBe("delivered");
    // pickContact prefers the user over the lead.
    expect(await delivery(id)).toMatchObject({ state: "delivered", contactId: user.id });
    expect(emulator.store.getContact(lead.id)!.contact.custom_attributes.cancel_rating).toBeUndefined();
    expect((await subscriberByEmail(email.toLowerCase())).intercomContactId).toBe(user.id);
  });

  it("coalesces a contact's due answers into one PUT carrying every key", async () => {
    const { session, contactId } = await linkedSession("coalesce@example.com");
    const ids = [
      await answer(session, questionIds.choice, { optionId: optionId(session, questionIds.choice, "It's too expensive") }),
      await answer(session, questionIds.free, { text: "One write" }),
      await answer(session, questionIds.rating, { rating: 5 }),
    ];
    emulator.clearRequests();
    expect(await deliverAnswer(ids[0]!)).toBe("delivered");
    const puts = putsTo(contactId);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.body).toEqual({ custom_attributes: { cancel_reason_code: "too_expensive", cancel_comment: "One write", cancel_rating: 5 } });
    for (const id of ids) expect(await delivery(id)).toMatchObject({ state: "delivered", contactId });
  });

  it("sends only the newest answer per attribute and supersedes the older one", async () => {
    const email = "twice@example.com";
    const { session: first, contactId } = await linkedSession(email);
    const older = await answer(first, questionIds.rating, { rating: 2 });
    const second = await startAs(email);
    const newer = await answer(second, questionIds.rating, { rating: 9 });
    emulator.clearRequests();
    await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
    const puts = putsTo(contactId);
    expect(puts.map((p) => p.body)).toEqual([{ custom_attributes: { cancel_rating: 9 } }]);
    expect(await delivery(older)).toMatchObject({ state: "superseded" });
    expect(await delivery(newer)).toMatchObject({ state: "delivered" });
    expect(emulator.store.getContact(contactId)!.contact.custom_attributes.cancel_rating).toBe(9);
    // Superseded is final: a manual retry cannot send the older value.
    expect(await retryDelivery(account.id, older)).toMatchObject({ ok: false });
  });

  it("supersedes an older answer that comes due after a newer one was delivered, without sending it", async () => {
    const email = "late@example.com";
    const { session: first, contactId } = await linkedSession(email);
    const older = await answer(first, questionIds.rating, { rating: 1 });
    // The older answer waits out a 429 (no attempt spent) while the newer one goes straight out.
    await db().update(answerDeliveries).set({ nextAttemptAt: new Date(Date.now() + 60_000) }).where(eq(answerDeliveries.id, older));
    const newer = await answer(await startAs(email), questionIds.rating, { rating: 8 });
    expect(await deliverAnswer(newer)).toBe("delivered");
    emulator.clearRequests();
    await makeDue(older);
    await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
    expect(putsTo(contactId)).toHaveLength(0);
    expect(await delivery(older)).toMatchObject({ state: "superseded" });
    expect(emulator.store.getContact(contactId)!.contact.custom_attributes.cancel_rating).toBe(8);
  });

  it("holds a newer answer back while an older one to the same attribute may still land, then sends only the newer", async () => {
    const email = "unsettled@example.com";
    const { session: first, contactId } = await linkedSession(email);
    const older = await answer(first, questionIds.rating, { rating: 3 });
    // The older write was sent and has not settled (a 5xx or timeout, retry due later).
    await db().update(answerDeliveries).set({ state: "unknown", attempts: 1, nextAttemptAt: new Date(Date.now() + 60_000) }).where(eq(answerDeliveries.id, older));
    const newer = await answer(await startAs(email), questionIds.rating, { rating: 4 });
    emulator.clearRequests();
    expect(await deliverAnswer(newer)).toBe("skipped");
    expect(putsTo(contactId)).toHaveLength(0);
    expect((await delivery(newer)).nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 50_000);

    await makeDue(older);
    await makeDue(newer);
    await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
    expect(putsTo(contactId).map((p) => p.body)).toEqual([{ custom_attributes: { cancel_rating: 4 } }]);
    expect(await delivery(older)).toMatchObject({ state: "superseded" });
    expect(await delivery(newer)).toMatchObject({ state: "delivered", attempts: 1 });
  });

  it("fails only the key Intercom did not store, naming it, and delivers the others", async () => {
    const { session, contactId } = await linkedSession("dropped@example.com");
    // This Intercom accepts the PUT but silently drops one key.
    const stop = emulator.store.onChange((event) => {
      if (event.kind === "updated" && event.contact.id === contactId) {
        delete emulator.store.peekContact(contactId)!.contact.custom_attributes.cancel_comment;
      }
    });
    try {
      const rating = await answer(session, questionIds.rating, { rating: 6 });
      const comment = await answer(session, questionIds.free, { text: "Will be dropped" });
      await drainDueDeliveries({ budgetMs: 5000, accountId: account.id });
      expect(await delivery(rating)).toMatchObject({ state: "delivered" });
      expect(await delivery(comment)).toMatchObject({ state: "failed", lastError: "Intercom did not store cancel_comment", lastErrorCode: "not_stored" });
    } finally {
      stop();
    }
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
    for (const id of ids) expect((await delivery(id)).state).toBe("delivered");
    expect(await putsForDeliveries(ids)).toBe(6);

    // The widget's after-response attempt racing the cron drain (and itself) for the same answers.
    const more: string[] = [];
    for (const n of [7, 8, 9]) {
      const { session } = await linkedSession(`parallel${n}@example.com`);
      more.push(await answer(session, questionIds.rating, { rating: n }));
    }
    emulator.clearRequests();
    await Promise.all([
      drainDueDeliveries({ budgetMs: 10_000, accountId: account.id }),
      deliverAnswer(more[0]!),
      deliverAnswer(more[0]!),
      deliverAnswer(more[1]!),
      drainDueDeliveries({ budgetMs: 10_000, accountId: account.id }),
    ]);
    for (const id of more) expect((await delivery(id)).state).toBe("delivered");
    expect(await putsForDeliveries(more)).toBe(3);
  });

  /**
   * PUTs the emulator received for these deliveries' contacts. Counted per contact, because
   * background work left by earlier tests in this file may still write to other contacts.
   */
  async function putsForDeliveries(deliveryIds: string[]): Promise<number> {
    const contacts = await Promise.all(deliveryIds.map(async (id) => (await delivery(id)).contactId!));
    return contacts.reduce((sum, contactId) => sum + putsTo(contactId).length, 0);
  }

  it("on 401 pauses the connection with an alert, keeps deliveries untouched, and reconnecting the same workspace resumes them", async () => {
    const emu = await startTestEmulator({ contactCount: 1 });
    try {
      useEmulatorHosts(emu);
      const { account: acct, admin } = await createTestAccount("Revoked");
      const conn = await connectAccountToEmulator(acct.id, emu);
      const start = await startAs("before@example.com", acct);
      const rating = start.flow.questions[2]!.id;
      expect(await saveQuestionMappings(acct.id, [{ questionId: rating, intercomAttribute: "cancel_rating" }])).toEqual({ ok: true, saved: 1 });
      const first = await linkedSession("revoked1@example.com", acct, emu);
      const second = await linkedSession("revoked2@example.com", acct, emu);
      const delivered = await answer(first.session, rating, { rating: 7 });
      expect(await deliverAnswer(delivered)).toBe("delivered");

      // The token is revoked between two deliveries.
      emu.revokeAll();
      const id = await answer(second.session, rating, { rating: 8 });
      expect(await deliverAnswer(id)).toBe("pending");
      const [c] = await db().select().from(intercomConnections).where(eq(intercomConnections.id, conn.id));
      expect(c).toMatchObject({ status: "reconnect_required" });
      expect(c!.statusReason).toMatch(/token_revoked/);
      expect(await delivery(id)).toMatchObject({ state: "pending", attempts: 0, lastErrorCode: "token_revoked", lastStatus: 401 });
      expect(await openAlerts(acct.id)).toContainEqual(
        expect.objectContaining({ kind: "connection_revoked", subject: "connection", fixUrl: "/settings/integrations/intercom" }),
      );

      emu.clearRequests();
      await makeDue(id);
      expect(await drainDueDeliveries({ budgetMs: 2000, accountId: acct.id })).toEqual({ attempted: 0, delivered: 0, failed: 0 });
      expect(emu.requests).toHaveLength(0);
      expect(await delivery(id)).toMatchObject({ state: "pending", attempts: 0 });

      // The admin reconnects the same workspace through OAuth: the queue resumes.
      const { url } = await startIntercomConnect({ accountId: acct.id, adminId: admin.id });
      const consent = await approveConsent(url);
      expect(await completeIntercomConnect({ accountId: acct.id, adminId: admin.id, code: consent.code, state: consent.state })).toMatchObject({ ok: true });
      expect((await openAlerts(acct.id)).filter((a) => a.kind === "connection_revoked")).toEqual([]);
      expect(await drainDueDeliveries({ budgetMs: 5000, accountId: acct.id })).toMatchObject({ delivered: 1 });
      expect(await delivery(id)).toMatchObject({ state: "delivered", attempts: 1 });
      expect(emu.store.getContact(second.contactId)!.contact.custom_attributes.cancel_rating).toBe(8);
      expect(emu.store.getContact(first.contactId)!.contact.custom_attributes.cancel_rating).toBe(7);
    } finally {
      useEmulatorHosts(emulator);
      await emu.close();
    }
  });
});
