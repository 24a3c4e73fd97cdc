import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/db/client";
import { answerDeliveries, intercomConnections, subscribers } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { completeIntercomConnect, startIntercomConnect } from "@/lib/connections/oauth-connect";
import { decryptSecret } from "@/lib/crypto/encryption";
import { resetEnvCache } from "@/lib/env";
import { drainDueDeliveries } from "@/lib/forwarding/drain";
import { isNewer } from "@/lib/forwarding/plan-contact-write";
import { saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { signedIdentity } from "../support/widget-identity";
import { recordWidgetAnswer } from "@/lib/widget/record-answer";
import { startWidgetSession } from "@/lib/widget/start-session";
import { setupTestDb } from "../support/db";
import { approveConsent } from "../support/emulator-consent";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

type Account = Awaited<ReturnType<typeof createTestAccount>>;
type Session = Extract<Awaited<ReturnType<typeof startWidgetSession>>, { ok: true }>;

const PUT = { method: "PUT", pathPrefix: "/contacts/" };
const WAITING = ["pending", "unknown", "needs_attention"] as const;

/**
 * Every fault Intercom can throw at answer delivery, one after another against one workspace,
 * then an audit of every answer: delivered with its exact value as the contact's final state,
 * superseded by a newer answer, or visibly waiting with a reason.
 */
describe("answer delivery under Intercom faults", () => {
  // The killed worker is a second process: on PGlite it needs the database in a folder it can
  // open after this process lets go of it (Postgres: the same per-file database).
  const ownDataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(path.join(os.tmpdir(), "holdfast-faults-"));
  const previousDataDir = process.env.PGLITE_DATA_DIR;
  if (ownDataDir) {
    process.env.PGLITE_DATA_DIR = path.join(ownDataDir, "pglite");
    resetEnvCache();
  }
  afterAll(() => {
    if (!ownDataDir) return;
    process.env.PGLITE_DATA_DIR = previousDataDir;
    resetEnvCache();
    rmSync(ownDataDir, { recursive: true, force: true });
  });
  setupTestDb();

  let emulator: RunningEmulator;
  let owner: Account;
  let questionIds: { choice: string; free: string; rating: string };

  beforeAll(async () => {
    emulator = await startTestEmulator({ contactCount: 0 });
    useEmulatorHosts(emulator);
    owner = await createTestAccount("Faults");
    await connectAccountToEmulator(owner.account.id, emulator);
    const start = await startAs("setup@example.com");
    const [choice, free, rating] = start.flow.questions;
    questionIds = { choice: choice!.id, free: free!.id, rating: rating!.id };
    const saved = await saveQuestionMappings(owner.account.id, [
      { questionId: questionIds.choice, intercomAttribute: "cancel_reason_code" },
      { questionId: questionIds.free, intercomAttribute: "cancel_comment" },
      { questionId: questionIds.rating, intercomAttribute: "cancel_rating" },
    ]);
    expect(saved).toEqual({ ok: true, saved: 3 });
  });

  afterAll(async () => {
    delete process.env.INTERCOM_TIMEOUT_MS;
    resetEnvCache();
    await emulator?.close();
  });

  const accountId = () => owner.account.id;

  async function startAs(email: string): Promise<Session> {
    const secret = decryptSecret(owner.account.widgetSecretEnc);
    const result = await startWidgetSession({ publicKey: owner.account.publicKey, email, ...signedIdentity(secret, { email }) });
    if (!result.ok) throw new Error(result.error);
    return result;
  }

  /** A subscriber in a session, linked (as the sync would) to a fresh emulator contact. */
  async function linkedSession(email: string) {
    const session = await startAs(email);
    const contact = emulator.store.createContact({ email, role: "user" });
    const db = await getDb();
    await db
      .update(subscribers)
      .set({ intercomContactId: contact.id, intercomMatch: "matched" })
      .where(and(eq(subscribers.accountId, accountId()), eq(subscribers.emailKey, email)));
    return { session, contactId: contact.id };
  }

  async function answer(session: Session, questionId: string, body: object) {
    const result = await recordWidgetAnswer(session.sessionId, { sessionToken: session.sessionToken, questionId, ...body });
    if (!result.ok || !result.deliveryId) throw new Error(result.ok ? "no delivery" : result.error);
    return result.deliveryId;
  }

  const optionId = (session: Session, text: string) =>
    session.flow.questions.find((q) => q.id === questionIds.choice)!.options.find((o) => o.text === text)!.id;

  async function rows(ids?: string[]) {
    const db = await getDb();
    return db
      .select()
      .from(answerDeliveries)
      .where(and(eq(answerDeliveries.accountId, accountId()), ids ? inArray(answerDeliveries.id, ids) : undefined));
  }

  async function row(id: string) {
    return (await rows([id]))[0]!;
  }

  /** Stands in for waiting out backoffs, rate-limit resets and leases. */
  async function makeDue(ids: string[]) {
    const db = await getDb();
    await db
      .update(answerDeliveries)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(and(eq(answerDeliveries.accountId, accountId()), inArray(answerDeliveries.id, ids), inArray(answerDeliveries.state, ["pending", "unknown"])));
  }

  /** Drains (waiting out every backoff) until none of these is pending or unknown. */
  async function drainUntilSettled(ids: string[], maxRounds = 10) {
    for (let round = 0; round < maxRounds; round++) {
      const open = (await rows(ids)).filter((d) => d.state === "pending" || d.state === "unknown");
      if (open.length === 0) return round;
      await makeDue(open.map((d) => d.id));
      await drainDueDeliveries({ budgetMs: 20_000, accountId: accountId() });
    }
    throw new Error("deliveries did not settle");
  }

  const hungRequestLanded = (contactId: string) =>
    waitFor(() => emulator.requests.some((r) => r.method === "PUT" && r.path === `/contacts/${contactId}` && r.status === 200));

  async function waitFor(check: () => boolean | Promise<boolean>, ms = 15_000) {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it("survives a 429 storm without spending attempts, then delivers everything", async () => {
    emulator.faults.inject({ status: 429, count: 3, match: PUT });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const { session } = await linkedSession(`storm${n}@example.com`);
      ids.push(await answer(session, questionIds.rating, { rating: n }));
      ids.push(await answer(session, questionIds.free, { text: `Storm ${n}` }));
    }
    await drainDueDeliveries({ budgetMs: 20_000, accountId: accountId() });
    // One 429 pauses the whole workspace for this drain: nothing else was sent, nothing spent.
    const afterFirst = await rows(ids);
    expect(afterFirst.every((d) => d.state === "pending" && d.attempts === 0)).toBe(true);
    expect(afterFirst.filter((d) => d.lastStatus === 429)).toHaveLength(2);
    expect(afterFirst.every((d) => d.nextAttemptAt.getTime() > Date.now())).toBe(true);

    await drainUntilSettled(ids);
    expect((await rows(ids)).every((d) => d.state === "delivered" && d.attempts === 1)).toBe(true);
    // Each 429 also empties the workspace's shared budget until its 10-second window resets.
  }, 120_000);

  it("backs off through a 5xx burst and an HTML 502 page, then delivers", async () => {
    emulator.faults.inject({ status: 500, count: 2, match: PUT }, { status: 503, match: PUT }, { status: 502, match: PUT });
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const { session } = await linkedSession(`burst${n}@example.com`);
      ids.push(await answer(session, questionIds.choice, { optionId: optionId(session, "I'm switching to another tool") }));
    }
    await drainDueDeliveries({ budgetMs: 20_000, accountId: accountId() });
    const afterFirst = await rows(ids);
    expect(afterFirst.map((d) => [d.state, d.attempts, d.lastStatus])).toEqual([
      ["pending", 1, 500],
      ["pending", 1, 500],
    ]);
    // Exponential backoff with jitter: at least 15 s for a first failure.
    for (const d of afterFirst) expect(d.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 10_000);

    await makeDue(ids);
    await drainDueDeliveries({ budgetMs: 20_000, accountId: accountId() });
    const afterGateway = await rows(ids);
    expect(afterGateway.map((d) => d.lastStatus).sort()).toEqual([502, 503]);
    const gateway = afterGateway.find((d) => d.lastStatus === 502)!;
    expect(gateway).toMatchObject({ state: "pending", attempts: 2, lastErrorCode: "server" });
    expect(gateway.lastError).toMatch(/non-JSON/);

    await drainUntilSettled(ids);
    expect((await rows(ids)).map((d) => d.state)).toEqual(["delivered", "delivered"]);
  });

  it("records a write that hangs past the client timeout as unknown and re-sends the same value", async () => {
    process.env.INTERCOM_TIMEOUT_MS = "300";
    resetEnvCache();
    try {
      const { session, contactId } = await linkedSession("hang@example.com");
      const ids = [await answer(session, questionIds.rating, { rating: 9 }), await answer(session, questionIds.free, { text: "Too slow" })];
      emulator.faults.hang({ ms: 1200, match: PUT });
      await drainDueDeliveries({ budgetMs: 20_000, accountId: accountId() });
      expect((await rows(ids)).map((d) => [d.state, d.lastErrorCode])).toEqual([
        ["unknown", "timeout"],
        ["unknown", "timeout"],
      ]);
      // The hung request still lands at Intercom; the retry writes the very same values again.
      await hungRequestLanded(contactId);
      await drainUntilSettled(ids);
      expect((await rows(ids)).map((d) => d.state)).toEqual(["delivered", "delivered"]);
    } finally {
      delete process.env.INTERCOM_TIMEOUT_MS;
      resetEnvCache();
    }
  });

  it("pauses on a token revoked between two deliveries and resumes after reconnecting", async () => {
    const first = await linkedSession("before-revoke@example.com");
    const delivered = await answer(first.session, questionIds.rating, { rating: 4 });
    await drainDueDeliveries({ budgetMs: 20_000, accountId: accountId() });
    expect(await row(delivered)).toMatchObject({ state: "delivered" });

    emulator.revokeAll();
    const second = await linkedSession("after-revoke@example.com");
    const waiting = await answer(second.session, questionIds.rating, { rating: 5 });
    await drainDueDeliveries({ budgetMs: 20_000, accountId: accountId() });
    expect(await row(waiting)).toMatchObject({ state: "pending", attempts: 0, lastStatus: 401 });
    const db = await getDb();
    const [conn] = await db.select().from(intercomConnections).where(eq(intercomConnections.accountId, accountId()));
    expect(conn).toMatchObject({ status: "reconnect_required" });

    const { url } = await startIntercomConnect({ accountId: accountId(), adminId: owner.admin.id });
    const consent = await approveConsent(url);
    expect(await completeIntercomConnect({ accountId: accountId(), adminId: owner.admin.id, code: consent.code, state: consent.state })).toMatchObject({ ok: true });
    await drainUntilSettled([waiting]);
    expect(await row(waiting)).toMatchObject({ state: "delivered", attempts: 1 });
  });

  it("recovers from a worker killed mid-delivery, and never lets the older answer win", async () => {
    const email = "killed@example.com";
    const { session, contactId } = await linkedSession(email);
    const older = await answer(session, questionIds.rating, { rating: 2 });
    emulator.faults.hang({ ms: 2500, match: PUT });

    // PGlite allows one process per folder: hand it to the worker for the duration.
    if (ownDataDir) await closeDb();
    const worker = spawn(process.execPath, ["--import", "tsx", path.join("tests", "support", "drain-worker.ts"), accountId()], {
      cwd: process.cwd(),
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    worker.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once("exit", (code) => resolve(code)));
    try {
      // The emulator took the hang rule: the worker's PUT is in flight. Kill it now.
      await waitFor(() => emulator.faults.snapshot().hangs.length === 0, 30_000);
    } finally {
      worker.kill("SIGKILL");
    }
    await exited;
    expect(output).not.toMatch(/\{"attempted"/);

    // The claim survived the crash: the answer is leased, with one attempt spent.
    expect(await row(older)).toMatchObject({ state: "pending", attempts: 1 });
    // Meanwhile the subscriber answers again: the newer answer waits while the older may still land.
    const newer = await answer(await startAs(email), questionIds.rating, { rating: 7 });
    await drainDueDeliveries({ budgetMs: 20_000, accountId: accountId() });
    expect(await row(newer)).toMatchObject({ state: "pending", attempts: 0 });

    await hungRequestLanded(contactId);
    expect(emulator.store.getContact(contactId)!.contact.custom_attributes.cancel_rating).toBe(2);
    await drainUntilSettled([older, newer]);
    expect(await row(older)).toMatchObject({ state: "superseded" });
    expect(await row(newer)).toMatchObject({ state: "delivered" });
    expect(emulator.store.getContact(contactId)!.contact.custom_attributes.cancel_rating).toBe(7);
  }, 120_000);

  it("keeps answers it cannot deliver visibly waiting, each with its reason", async () => {
    const gone = await linkedSession("deleted@example.com");
    emulator.store.deleteContact(gone.contactId);
    const notFound = await answer(gone.session, questionIds.rating, { rating: 6 });
    const unlinked = await answer(await startAs("not-in-intercom@example.com"), questionIds.rating, { rating: 8 });
    await drainDueDeliveries({ budgetMs: 20_000, accountId: accountId() });
    expect(await row(notFound)).toMatchObject({ state: "needs_attention", attentionReason: "contact_not_found", lastError: "contact not found" });
    expect(await row(unlinked)).toMatchObject({ state: "pending", attempts: 0, lastError: "No matching Intercom contact yet" });
  });

  it("audit: every answer is delivered exactly as its contact's final value, superseded by a newer one, or waiting with a reason", async () => {
    const all = await rows();
    const subscriberContacts = new Map(
      (await (await getDb()).select().from(subscribers).where(eq(subscribers.accountId, accountId()))).map((s) => [s.id, s.intercomContactId]),
    );
    const puts = emulator.requests.filter((r) => r.method === "PUT" && r.path.startsWith("/contacts/"));
    const sentValues = (contactId: string, attribute: string, ok: boolean) =>
      puts
        .filter((p) => p.path === `/contacts/${contactId}` && (!ok || p.status === 200))
        .map((p) => (p.body as { custom_attributes: Record<string, unknown> }).custom_attributes)
        .filter((attrs) => attribute in attrs)
        .map((attrs) => attrs[attribute]);

    const counts = { answers: all.length, delivered: 0, superseded: 0, waiting: 0, failed: 0 };
    const table: Array<Record<string, unknown>> = [];
    for (const d of all) {
      const contactId = d.contactId ?? subscriberContacts.get(d.subscriberId) ?? null;
      const accepted = contactId ? sentValues(contactId, d.attribute, true) : [];
      const carried = contactId ? sentValues(contactId, d.attribute, false).filter((v) => v === d.value).length : 0;
      table.push({ attribute: d.attribute, value: String(d.value).slice(0, 12), state: d.state, attempts: d.attempts, puts: carried, stored: accepted.filter((v) => v === d.value).length, reason: d.lastError?.slice(0, 32) ?? "" });
      if (d.state === "delivered") {
        counts.delivered++;
        // The exact value is the contact's final state, and it was the last value Intercom accepted.
        expect(emulator.store.getContact(contactId!)!.contact.custom_attributes[d.attribute]).toBe(d.value);
        expect(accepted.at(-1)).toBe(d.value);
      } else if (d.state === "superseded") {
        counts.superseded++;
        const newer = all.find((o) => o.subscriberId === d.subscriberId && o.attribute === d.attribute && o.state !== "superseded" && isNewer(o, d));
        expect(newer).toBeDefined();
        // Whatever Intercom accepted of the older value came before the newer value's first write.
        const firstNewer = accepted.indexOf(newer!.value);
        const lastOlder = accepted.lastIndexOf(d.value);
        if (newer!.state === "delivered") expect(lastOlder).toBeLessThan(firstNewer);
      } else if ((WAITING as readonly string[]).includes(d.state)) {
        counts.waiting++;
        expect(d.lastError, `${d.state} delivery ${d.id} must say why it waits`).toBeTruthy();
      } else {
        counts.failed++;
      }
    }
    console.table(table);
    console.log("answer delivery audit", counts, { putRequests: puts.length, byStatus: countBy(puts.map((p) => p.status)) });
    expect(counts.failed).toBe(0);
    expect(counts.delivered + counts.superseded + counts.waiting).toBe(counts.answers);
    expect(counts).toMatchObject({ superseded: 1, waiting: 2 });
  });
});

function countBy(values: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
