// Abuse-proofing of the three public widget endpoints: hand-picked bad input, then fast-check
// properties over arbitrary bodies and field values. Every refusal must be a 4xx with a readable
// `error`, and must leave the subscribers, sessions, answers and deliveries exactly as they were.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { asc } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as answerPOST } from "@/app/api/widget/sessions/[id]/answers/route";
import { POST as completePOST } from "@/app/api/widget/sessions/[id]/complete/route";
import { POST as sessionsPOST } from "@/app/api/widget/sessions/route";
import { answerDeliveries, answers, cancelSessions, questionMappings, subscribers } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/encryption";
import { signedIdentity } from "../support/widget-identity";
import { issueSessionToken } from "@/lib/widget/session-token";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

const RUNS = 150;

type Started = {
  sessionId: string;
  sessionToken: string;
  flow: { questions: { id: string; kind: "multiple_choice" | "free_text" | "rating"; options: { id: string }[] }[] };
};
type Sent = { status: number; error: unknown; json: Record<string, unknown> };

function request(path: string, init: { body?: BodyInit; json?: unknown; contentType?: string | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { origin: "https://shop.example", ...init.headers };
  const contentType = init.contentType === undefined ? "application/json" : init.contentType;
  if (contentType !== null) headers["content-type"] = contentType;
  const body = init.body ?? (init.json === undefined ? undefined : JSON.stringify(init.json));
  return new Request(`http://holdfast.test${path}`, { method: "POST", headers, body, duplex: "half" } as RequestInit);
}

async function read(res: Response): Promise<Sent> {
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // a non-JSON body fails the `error` assertions below
  }
  return { status: res.status, error: json.error, json };
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const startSession = async (req: Request) => read(await sessionsPOST(req));
const sendAnswer = async (id: string, req: Request) => read(await answerPOST(req, params(id)));
const sendComplete = async (id: string, req: Request) => read(await completePOST(req, params(id)));

/** A refusal: 4xx, a sentence in `error`, CORS headers kept so the widget can show it. */
function expectRefused(sent: Sent, status?: number | RegExp) {
  expect(sent.status, JSON.stringify(sent.json)).toBeGreaterThanOrEqual(400);
  expect(sent.status).toBeLessThan(500);
  if (typeof status === "number") expect(sent.status).toBe(status);
  expect(typeof sent.error).toBe("string");
  expect((sent.error as string).length).toBeGreaterThan(5);
  if (status instanceof RegExp) expect(sent.error).toMatch(status);
}

describe("widget endpoints refuse bad input and write nothing", () => {
  const db = setupTestDb();

  /** Everything the widget can write, in a stable order (background delivery attempts aside). */
  async function snapshot(): Promise<string> {
    const d = db();
    const subs = await d
      .select({ id: subscribers.id, email: subscribers.email, name: subscribers.name, externalId: subscribers.externalId, status: subscribers.status })
      .from(subscribers)
      .orderBy(asc(subscribers.id));
    const sessions = await d
      .select({ id: cancelSessions.id, status: cancelSessions.status, outcome: cancelSessions.outcome })
      .from(cancelSessions)
      .orderBy(asc(cancelSessions.id));
    const given = await d
      .select({ id: answers.id, optionId: answers.optionId, text: answers.textValue, rating: answers.ratingValue })
      .from(answers)
      .orderBy(asc(answers.id));
    const deliveries = await d
      .select({ id: answerDeliveries.id, answerId: answerDeliveries.answerId, attribute: answerDeliveries.attribute, value: answerDeliveries.value })
      .from(answerDeliveries)
      .orderBy(asc(answerDeliveries.id));
    return JSON.stringify({ subs, sessions, given, deliveries });
  }

  async function newTenant(label: string) {
    const { account } = await createTestAccount(label);
    const secret = decryptSecret(account.widgetSecretEnc);
    const identity = (email: string, externalId?: string) => ({
      publicKey: account.publicKey,
      email,
      ...(externalId ? { externalId } : {}),
      ...signedIdentity(secret, { email, externalId }),
    });
    const start = async (email: string) => {
      const sent = await startSession(request("/api/widget/sessions", { json: identity(email) }));
      expect(sent.status).toBe(201);
      return sent.json as unknown as Started;
    };
    return { account, secret, identity, start };
  }

  let ours: Awaited<ReturnType<typeof newTenant>>;
  let theirs: Awaited<ReturnType<typeof newTenant>>;
  let open: Started;
  let foreign: Started;
  beforeAll(async () => {
    ours = await newTenant("Fuzz");
    theirs = await newTenant("Other");
    open = await ours.start("open@example.com");
    foreign = await theirs.start("open@example.com");
    const [choice, free, rating] = open.flow.questions;
    await db().insert(questionMappings).values([
      { accountId: ours.account.id, questionId: choice!.id, intercomAttribute: "cancel_reason", intercomDataType: "string" },
      { accountId: ours.account.id, questionId: free!.id, intercomAttribute: "cancel_comment", intercomDataType: "string" },
      { accountId: ours.account.id, questionId: rating!.id, intercomAttribute: "cancel_rating", intercomDataType: "integer" },
    ]);
  });

  /** Runs one bad request and checks it was refused as expected and changed nothing. */
  async function expectNoWrite(send: () => Promise<Sent>, status?: number | RegExp) {
    const before = await snapshot();
    const sent = await send();
    expectRefused(sent, status);
    expect(await snapshot()).toBe(before);
  }

  describe("hand-picked bad input", () => {
    it("refuses wrong or missing content types with 415, even for a body that would be valid", async () => {
      const good = ours.identity("ctype@example.com");
      for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", null]) {
        await expectNoWrite(() => startSession(request("/api/widget/sessions", { json: good, contentType })), 415);
      }
      const answer = { sessionToken: open.sessionToken, questionId: open.flow.questions[2]!.id, rating: 4 };
      await expectNoWrite(() => sendAnswer(open.sessionId, request("x", { json: answer, contentType: "text/plain;charset=UTF-8" })), /Content-Type/);
      await expectNoWrite(() => sendComplete(open.sessionId, request("x", { json: { sessionToken: open.sessionToken, outcome: "cancelled" }, contentType: null })), 415);
      // Parameters and case do not matter.
      const ok = await startSession(request("/api/widget/sessions", { json: good, contentType: "Application/JSON; charset=utf-8" }));
      expect(ok.status).toBe(201);
    });

    it("refuses invalid JSON, empty bodies and non-object JSON with 400", async () => {
      for (const body of ["", "{", "{email: 'x'}", "undefined", "NaN", "[1,2", "\u0000", "{\"a\":1}garbage"]) {
        await expectNoWrite(() => startSession(request("/api/widget/sessions", { body })), 400);
        await expectNoWrite(() => sendAnswer(open.sessionId, request("x", { body })), 400);
      }
      for (const json of [null, 42, "text", true, [], [ours.identity("arr@example.com")]]) {
        await expectNoWrite(() => startSession(request("/api/widget/sessions", { json })), 400);
        await expectNoWrite(() => sendComplete(open.sessionId, request("x", { json })), 400);
      }
    });

    it("refuses huge bodies with 413, with a truthful, a lying or no Content-Length", async () => {
      const huge = JSON.stringify({ ...ours.identity("huge@example.com"), name: "x".repeat(200_000) });
      await expectNoWrite(() => startSession(request("/api/widget/sessions", { body: huge })), 413);
      await expectNoWrite(() => startSession(request("/api/widget/sessions", { body: huge, headers: { "content-length": "120" } })), 413);
      const stream = () =>
        new ReadableStream<Uint8Array>({
          start(c) {
            for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode(" ".repeat(1024)));
            c.close();
          },
        });
      await expectNoWrite(() => sendAnswer(open.sessionId, request("x", { body: stream() })), 413);
      await expectNoWrite(() => sendComplete(open.sessionId, request("x", { body: stream() })), /larger than 16 KB/);
    });

    it("refuses missing fields and wrong types with a message naming the field", async () => {
      const good = ours.identity("types@example.com");
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ ...good, publicKey: undefined }, /publicKey/],
        [{ ...good, publicKey: ["pk"] }, /publicKey/],
        [{ ...good, email: undefined }, /email/],
        [{ ...good, email: { $ne: null } }, /email/],
        [{ ...good, signature: 0 }, /signature/],
        [{ ...good, name: 42 }, /name/],
        [{ ...good, externalId: { id: 1 } }, /externalId/],
      ];
      for (const [json, message] of cases) await expectNoWrite(() => startSession(request("/api/widget/sessions", { json })), message);

      const [choice, free, rating] = open.flow.questions;
      const t = open.sessionToken;
      const answerCases: [Record<string, unknown>, RegExp][] = [
        [{ questionId: rating!.id, rating: 3 }, /sessionToken/],
        [{ sessionToken: t, rating: 3 }, /questionId/],
        [{ sessionToken: t, questionId: rating!.id, rating: "3" }, /rating/],
        [{ sessionToken: t, questionId: rating!.id, rating: null }, /rating/],
        [{ sessionToken: t, questionId: rating!.id, rating: 1e400 }, /rating/],
        [{ sessionToken: t, questionId: rating!.id, rating: 0 }, /1 to 10/],
        [{ sessionToken: t, questionId: free!.id, text: ["a"] }, /text/],
        [{ sessionToken: t, questionId: choice!.id, optionId: 7 }, /optionId/],
        [{ sessionToken: t, questionId: choice!.id, text: "price" }, /optionId is required/],
        [{ sessionToken: 12, questionId: rating!.id, rating: 3 }, /sessionToken/],
        // Exactly one answer key: a second one is refused, never silently dropped.
        [{ sessionToken: t, questionId: rating!.id, rating: 3, text: "and also this" }, /exactly one of optionId, text or rating/],
        [{ sessionToken: t, questionId: free!.id, text: "price", optionId: choice!.options[0]!.id }, /exactly one/],
        [{ sessionToken: t, questionId: choice!.id, optionId: choice!.options[0]!.id, rating: 3 }, /exactly one/],
        [{ sessionToken: t, questionId: rating!.id, rating: 3, optionId: choice!.options[0]!.id, text: "x" }, /exactly one/],
      ];
      for (const [json, message] of answerCases) await expectNoWrite(() => sendAnswer(open.sessionId, request("x", { json })), message);
      await expectNoWrite(() => sendComplete(open.sessionId, request("x", { json: { sessionToken: t, outcome: "CANCELLED" } })), /outcome/);
      await expectNoWrite(() => sendComplete(open.sessionId, request("x", { json: { sessionToken: t } })), /outcome/);
    });

    it("refuses unknown question and option ids, and other accounts' sessions, questions and options", async () => {
      const [choice, , rating] = open.flow.questions;
      const t = open.sessionToken;
      const answer = (json: unknown, id = open.sessionId) => sendAnswer(id, request("x", { json }));
      await expectNoWrite(() => answer({ sessionToken: t, questionId: randomUUID(), rating: 3 }), /Question not found/);
      await expectNoWrite(() => answer({ sessionToken: t, questionId: choice!.id, optionId: randomUUID() }), /not an option/);
      await expectNoWrite(() => answer({ sessionToken: t, questionId: foreign.flow.questions[2]!.id, rating: 3 }), 404);
      await expectNoWrite(() => answer({ sessionToken: t, questionId: choice!.id, optionId: foreign.flow.questions[0]!.options[0]!.id }), 400);
      // A question of our own account, but the option of another of our questions.
      await expectNoWrite(() => answer({ sessionToken: t, questionId: rating!.id, optionId: choice!.options[0]!.id }), /rating is required/);
      // Their session with our token, their token on our session, a session that does not exist.
      await expectNoWrite(() => answer({ sessionToken: t, questionId: rating!.id, rating: 3 }, foreign.sessionId), 401);
      await expectNoWrite(() => answer({ sessionToken: foreign.sessionToken, questionId: rating!.id, rating: 3 }), 401);
      const ghost = randomUUID();
      await expectNoWrite(() => answer({ sessionToken: issueSessionToken(ghost), questionId: rating!.id, rating: 3 }, ghost), /Session not found/);
      await expectNoWrite(() => sendComplete(foreign.sessionId, request("x", { json: { sessionToken: t, outcome: "cancelled" } })), 401);
    });

    it("refuses replayed and forged signatures and tokens", async () => {
      const good = ours.identity("replay@example.com");
      const start = (json: unknown) => startSession(request("/api/widget/sessions", { json }));
      // A captured signature replayed for another subscriber, with an external id, at another account.
      await expectNoWrite(() => start({ ...good, email: "victim@example.com" }), /Invalid signature/);
      await expectNoWrite(() => start({ ...good, externalId: "cus_1" }), /Invalid signature/);
      await expectNoWrite(() => start({ ...good, publicKey: theirs.account.publicKey }), /Invalid signature/);
      // The same subscriber's identity replayed a day later, or re-dated to look fresh.
      const dayOld = { ...good, ...signedIdentity(ours.secret, { email: good.email }, Math.floor(Date.now() / 1000) - 24 * 3600 - 60) };
      await expectNoWrite(() => start(dayOld), /expired/);
      await expectNoWrite(() => start({ ...dayOld, issuedAt: Math.floor(Date.now() / 1000) }), /Invalid signature/);
      await expectNoWrite(() => start({ ...good, issuedAt: undefined }), /issuedAt/);
      // Forgeries: signed with the public key, all zeros, truncated, the other account's secret.
      await expectNoWrite(() => start({ ...good, ...signedIdentity(ours.account.publicKey, { email: good.email }) }), 401);
      await expectNoWrite(() => start({ ...good, signature: "0".repeat(64) }), 401);
      await expectNoWrite(() => start({ ...good, signature: good.signature.slice(0, 63) }), 401);
      await expectNoWrite(() => start({ ...good, ...signedIdentity(theirs.secret, { email: good.email }) }), 401);
      await expectNoWrite(() => start({ ...good, publicKey: `${ours.account.publicKey} ` + "x" }), /Unknown publicKey/);
      // Session tokens: one session's token replayed on another, and edited tokens.
      const second = await ours.start("second@example.com");
      const rating = open.flow.questions[2]!.id;
      const answer = (id: string, sessionToken: string) => sendAnswer(id, request("x", { json: { sessionToken, questionId: rating, rating: 5 } }));
      await expectNoWrite(() => answer(second.sessionId, open.sessionToken), /Invalid session token/);
      // The last character changed for another one (a token ending in "A", 1 in 16, stayed the same before).
      const edited = `${open.sessionToken.slice(0, -1)}${open.sessionToken.endsWith("A") ? "E" : "A"}`;
      await expectNoWrite(() => answer(open.sessionId, edited), 401);
      await expectNoWrite(() => answer(open.sessionId, open.sessionToken.toUpperCase()), 401);
      // Replaying answers into a session that has been completed.
      expect((await sendComplete(second.sessionId, request("x", { json: { sessionToken: second.sessionToken, outcome: "retained" } }))).status).toBe(200);
      await expectNoWrite(() => answer(second.sessionId, second.sessionToken), 409);
      await expectNoWrite(() => sendComplete(second.sessionId, request("x", { json: { sessionToken: second.sessionToken, outcome: "cancelled" } })), 409);
    });

    it("refuses NUL characters and broken Unicode with 400 instead of failing in the database", async () => {
      const good = ours.identity("nul@example.com");
      const start = (json: unknown) => startSession(request("/api/widget/sessions", { json }));
      await expectNoWrite(() => start({ ...good, publicKey: `${good.publicKey}\u0000` }), /publicKey/);
      await expectNoWrite(() => start({ ...good, name: "Dana\u0000" }), /name/);
      const withId = ours.identity("nul2@example.com", "cus_\u0000");
      await expectNoWrite(() => start(withId), /externalId/);
      await expectNoWrite(
        () => sendAnswer(open.sessionId, request("x", { json: { sessionToken: open.sessionToken, questionId: open.flow.questions[1]!.id, text: "too\u0000dear" } })),
        /text/,
      );
      // JSON may carry an unpaired surrogate escape; Postgres jsonb cannot store it.
      for (const text of ["\ud83d", "ok \ude00", "\ude00\ud83d"]) {
        await expectNoWrite(
          () => sendAnswer(open.sessionId, request("x", { json: { sessionToken: open.sessionToken, questionId: open.flow.questions[1]!.id, text } })),
          /broken Unicode/,
        );
      }
      await expectNoWrite(() => start({ ...good, name: "Dana \udfff" }), /name/);
    });

    it("accepts unicode edge cases it can store, and keeps prototype keys inert", async () => {
      const free = open.flow.questions[1]!.id;
      const texts = ["👩🏽‍💻 מחיר גבוה מדי", "e\u0301\u200d\u202eevil", "\ud83d\ude00", "𝕏".repeat(3000), "é".repeat(5000)];
      for (const text of texts) {
        const sent = await sendAnswer(open.sessionId, request("x", { json: { sessionToken: open.sessionToken, questionId: free, text } }));
        expect(sent.status, String(sent.error)).toBe(200);
      }
      await expectNoWrite(
        () => sendAnswer(open.sessionId, request("x", { json: { sessionToken: open.sessionToken, questionId: free, text: "é".repeat(5001) } })),
        /5000/,
      );
      const good = ours.identity("proto@example.com");
      const bodies = [
        `{"__proto__": ${JSON.stringify(good)}}`,
        `{"constructor": {"prototype": ${JSON.stringify(good)}}}`,
        `{"__proto__": {"polluted": true}, "publicKey": 1}`,
      ];
      for (const body of bodies) await expectNoWrite(() => startSession(request("/api/widget/sessions", { body })), 400);
      const answerBody = `{"__proto__": {"sessionToken": "${open.sessionToken}", "questionId": "${free}", "text": "x"}}`;
      await expectNoWrite(() => sendAnswer(open.sessionId, request("x", { body: answerBody })), /sessionToken/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).sessionToken).toBeUndefined();
      // Extra keys, prototype-named or not, are ignored on an otherwise valid request.
      const extra = await startSession(request("/api/widget/sessions", { body: `{"__proto__": {"x": 1}, "isAdmin": true, ${JSON.stringify(good).slice(1)}` }));
      expect(extra.status).toBe(201);
    });
  });

  describe("properties", () => {
    const anyJson = fc.jsonValue({ maxDepth: 3 });
    const nasty = fc.oneof(
      anyJson,
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom("", " ", "\u0000", "__proto__", "constructor", "null", "💥", "\ud800", "' OR 1=1 --", "%00", "a".repeat(300)),
      fc.double(),
      fc.integer(),
    );
    const protoKeys = fc.dictionary(fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty"), anyJson, {
      maxKeys: 2,
    });
    const withExtras = (json: Record<string, unknown>, extras: Record<string, unknown>) => {
      // Spliced as text so "__proto__" stays an ordinary own key, as it arrives from the network.
      const head = JSON.stringify(extras).slice(1, -1);
      const body = JSON.stringify(json);
      return head ? `{${head}${body === "{}" ? "" : `,${body.slice(1)}`}` : body === "{}" ? "{}" : body;
    };

    // Both outcomes must actually occur, or a property proves nothing about one of them.
    let seen = { accepted: 0, refused: 0 };
    const expectBothOutcomes = () => {
      expect(seen.accepted).toBeGreaterThan(0);
      expect(seen.refused).toBeGreaterThan(0);
      seen = { accepted: 0, refused: 0 };
    };

    /** The property every widget endpoint must hold: no 5xx; a refusal is explained and writes nothing. */
    async function holds(send: () => Promise<Sent>): Promise<Sent> {
      const before = await snapshot();
      const sent = await send();
      seen[sent.status < 300 ? "accepted" : "refused"]++;
      expect(sent.status, JSON.stringify(sent.json)).toBeLessThan(500);
      expect([2, 4]).toContain(Math.floor(sent.status / 100));
      if (sent.status >= 400) {
        expect(typeof sent.error).toBe("string");
        expect(await snapshot()).toBe(before);
      }
      return sent;
    }

    it("POST /api/widget/sessions: arbitrary JSON and raw bodies are refused with 4xx", async () => {
      const raw = fc.oneof(anyJson.map((v) => JSON.stringify(v)), fc.string({ unit: "binary", maxLength: 200 }));
      const contentType = fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", null);
      await fc.assert(
        fc.asyncProperty(raw, contentType, async (body, ct) => {
          const sent = await holds(() => startSession(request("/api/widget/sessions", { body, contentType: ct })));
          expect(sent.status).toBeGreaterThanOrEqual(400);
        }),
        { numRuns: RUNS },
      );
      seen = { accepted: 0, refused: 0 };
    });

    it("POST /api/widget/sessions: a session starts only for a correctly signed, fresh identity of a known account", async () => {
      const identity = fc.record(
        {
          publicKey: fc.oneof({ weight: 3, arbitrary: fc.constant(ours.account.publicKey) }, fc.constant(theirs.account.publicKey), nasty),
          email: fc.oneof({ weight: 3, arbitrary: fc.constant("prop@example.com") }, fc.emailAddress(), nasty),
          name: fc.oneof({ weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) }, nasty),
          externalId: fc.oneof({ weight: 3, arbitrary: fc.constant("cus_9") }, nasty),
          signature: fc.constantFrom("ours", "ours", "theirs", "forged", "arbitrary"),
          arbitrarySignature: nasty,
          // A replay of a day-old identity, a clock in milliseconds, or a fresh one.
          issued: fc.constantFrom("fresh", "fresh", "fresh", "expired", "milliseconds"),
        },
        { requiredKeys: ["signature", "arbitrarySignature", "issued"] },
      );
      await fc.assert(
        fc.asyncProperty(identity, protoKeys, async (id, extras) => {
          const { signature: kind, arbitrarySignature, issued, ...fields } = id;
          const now = Math.floor(Date.now() / 1000);
          const issuedAt = issued === "fresh" ? now : issued === "expired" ? now - 25 * 3600 : now * 1000;
          const signable = typeof fields.email === "string" && (fields.externalId === undefined || typeof fields.externalId === "string");
          const signFor = (secret: string) =>
            signable ? signedIdentity(secret, { email: fields.email as string, externalId: fields.externalId as string | undefined }, issuedAt).signature : "x";
          const signature =
            kind === "ours" ? signFor(ours.secret) : kind === "theirs" ? signFor(theirs.secret) : kind === "forged" ? "ab".repeat(32) : arbitrarySignature;
          const body = withExtras({ ...fields, issuedAt, signature }, extras);
          const before = await db().$count(cancelSessions);
          const sent = await holds(() => startSession(request("/api/widget/sessions", { body })));
          if (sent.status < 300) {
            expect(sent.status).toBe(201);
            expect(fields.publicKey === ours.account.publicKey ? "ours" : fields.publicKey === theirs.account.publicKey ? "theirs" : "none").toBe(kind);
            expect(issued).toBe("fresh");
            expect(await db().$count(cancelSessions)).toBe(before + 1);
          }
        }),
        { numRuns: RUNS },
      );
      expectBothOutcomes();
    });

    it("POST /api/widget/sessions/{id}/answers: only the session's own token, question and option are accepted", async () => {
      const [choice, free, rating] = open.flow.questions;
      const sessionIds = fc.oneof(
        { weight: 4, arbitrary: fc.constant(open.sessionId) },
        fc.constant(foreign.sessionId),
        fc.uuid(),
        fc.string({ unit: "binary", maxLength: 50 }),
      );
      const tokens = fc.oneof({ weight: 4, arbitrary: fc.constant("own") }, fc.constant("foreign"), nasty);
      const questionIds = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(choice!.id, free!.id, rating!.id, foreign.flow.questions[0]!.id) },
        fc.uuid(),
        nasty,
      );
      const optionIds = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...choice!.options.map((o) => o.id), foreign.flow.questions[0]!.options[0]!.id) },
        fc.uuid(),
        nasty,
      );
      const texts = fc.oneof({ weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) }, fc.string({ unit: "binary", maxLength: 60 }), nasty);
      const ratings = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -2, max: 12 }) }, fc.double(), nasty);
      // Half aimed at acceptance: one of our questions with the one answer key it takes...
      const aimed = fc.oneof(
        fc.record({ sessionToken: tokens, questionId: fc.constant(choice!.id), optionId: optionIds }),
        fc.record({ sessionToken: tokens, questionId: fc.constant(free!.id), text: texts }),
        fc.record({ sessionToken: tokens, questionId: fc.constant(rating!.id), rating: ratings }),
      );
      // ...half anything: any question, any mix of answer keys, any field missing.
      const scattered = fc.record(
        { sessionToken: tokens, questionId: questionIds, optionId: optionIds, text: texts, rating: ratings },
        { requiredKeys: [] },
      );
      const body = fc.oneof(aimed, scattered);
      const keyOf = new Map([
        [choice!.id, "optionId"],
        [free!.id, "text"],
        [rating!.id, "rating"],
      ]);
      await fc.assert(
        fc.asyncProperty(sessionIds, body, protoKeys, async (sessionId, fields, extras) => {
          const sessionToken =
            fields.sessionToken === "own" ? open.sessionToken : fields.sessionToken === "foreign" ? foreign.sessionToken : fields.sessionToken;
          const json = { ...fields, ...(fields.sessionToken === undefined ? {} : { sessionToken }) };
          const sent = await holds(() => sendAnswer(sessionId, request("x", { body: withExtras(json, extras) })));
          if (sent.status < 300) {
            expect(sent.status).toBe(200);
            expect(sessionId).toBe(open.sessionId);
            expect(sessionToken).toBe(open.sessionToken);
            // Exactly one answer key, and the one this question's kind takes.
            expect(["optionId", "text", "rating"].filter((key) => key in fields)).toEqual([keyOf.get(fields.questionId as string)]);
          }
        }),
        { numRuns: RUNS },
      );
      expectBothOutcomes();
    });

    it("POST /api/widget/sessions/{id}/complete: only the session's own token and a known outcome complete it", async () => {
      const sessions = await Promise.all([0, 1, 2].map((i) => ours.start(`complete-${i}@example.com`)));
      const body = fc.record(
        {
          session: fc.nat({ max: sessions.length - 1 }),
          sessionToken: fc.oneof({ weight: 3, arbitrary: fc.constant("own") }, fc.constant("foreign"), nasty),
          outcome: fc.oneof({ weight: 3, arbitrary: fc.constantFrom("cancelled", "retained") }, nasty),
        },
        { requiredKeys: ["session"] },
      );
      await fc.assert(
        fc.asyncProperty(body, protoKeys, async ({ session, ...fields }, extras) => {
          const s = sessions[session]!;
          const sessionToken =
            fields.sessionToken === "own" ? s.sessionToken : fields.sessionToken === "foreign" ? foreign.sessionToken : fields.sessionToken;
          const json = { ...fields, ...(fields.sessionToken === undefined ? {} : { sessionToken }) };
          const sent = await holds(() => sendComplete(s.sessionId, request("x", { body: withExtras(json, extras) })));
          if (sent.status < 300) {
            expect(sessionToken).toBe(s.sessionToken);
            expect(sent.json.outcome).toBe(fields.outcome);
          }
        }),
        { numRuns: RUNS },
      );
      expectBothOutcomes();
    });
  });
});
