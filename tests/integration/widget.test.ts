import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as answerPOST } from "@/app/api/widget/sessions/[id]/answers/route";
import { POST as completePOST } from "@/app/api/widget/sessions/[id]/complete/route";
import { OPTIONS as sessionsOPTIONS, POST as sessionsPOST } from "@/app/api/widget/sessions/route";
import { answerDeliveries, answers, cancelSessions, questionMappings, subscribers } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/encryption";
import { signedIdentity } from "../support/widget-identity";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

const ORIGIN = "https://acme-notes.example";

function post(path: string, body: unknown, init: { raw?: string; headers?: Record<string, string> } = {}) {
  return new Request(`http://holdfast.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, ...init.headers },
    body: init.raw ?? JSON.stringify(body),
  });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });

type Started = { sessionId: string; sessionToken: string; flow: { questions: { id: string; kind: string; options: { id: string; text: string }[] }[] } };

describe("widget route handlers", () => {
  const db = setupTestDb();

  async function newAccount() {
    const { account } = await createTestAccount("Widget");
    const secret = decryptSecret(account.widgetSecretEnc);
    const identity = (email: string, extra: { name?: string; externalId?: string } = {}) => ({
      publicKey: account.publicKey,
      email,
      ...extra,
      ...signedIdentity(secret, { email, externalId: extra.externalId }),
    });
    return { account, identity };
  }

  async function start(body: unknown) {
    const res = await sessionsPOST(post("/api/widget/sessions", body));
    return { res, json: (await res.json()) as Started & { error?: string } };
  }

  it("answers the CORS preflight for the embedding site", async () => {
    const res = await sessionsOPTIONS(new Request("http://holdfast.test/api/widget/sessions", { method: "OPTIONS", headers: { origin: ORIGIN } }));
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("starts a session for a signed identity, creating then updating the subscriber by email key", async () => {
    const { account, identity } = await newAccount();
    const first = await start(identity("  Dana.Reyes@Example.com ", { name: "Dana" }));
    expect(first.res.status).toBe(201);
    expect(first.res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(first.json.flow.questions.map((q) => q.kind)).toEqual(["multiple_choice", "free_text", "rating"]);
    expect(first.json.flow.questions[0]!.options.map((o) => o.text)).toContain("It's too expensive");

    const second = await start(identity("dana.reyes@example.com", { externalId: "cus_42" }));
    expect(second.res.status).toBe(201);
    expect(second.json.sessionId).not.toBe(first.json.sessionId);

    const rows = await db().select().from(subscribers).where(eq(subscribers.accountId, account.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: "Dana.Reyes@Example.com", emailKey: "dana.reyes@example.com", name: "Dana", externalId: "cus_42" });
  });

  it("refuses unsigned, forged and foreign-key identities with 401 and a clear message", async () => {
    const { identity } = await newAccount();
    const other = await newAccount();
    const good = identity("sam@example.com");

    const unsigned = await start({ ...good, signature: undefined });
    expect(unsigned.res.status).toBe(400);
    expect(unsigned.json.error).toMatch(/signature/);

    const forged = await start({ ...good, signature: "0".repeat(64) });
    expect(forged.res.status).toBe(401);
    expect(forged.json.error).toMatch(/Invalid signature/);

    const otherEmail = await start({ ...good, email: "eve@example.com" });
    expect(otherEmail.res.status).toBe(401);

    const signedByAnotherAccount = await start({ ...good, publicKey: other.account.publicKey });
    expect(signedByAnotherAccount.res.status).toBe(401);

    const unknownKey = await start({ ...good, publicKey: "pk_does_not_exist" });
    expect(unknownKey.res.status).toBe(401);
    expect(unknownKey.json.error).toMatch(/Unknown publicKey/);
    expect(unknownKey.res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("answers 400 with a message for wrong types, missing fields and non-JSON bodies", async () => {
    const { identity } = await newAccount();
    const good = identity("kim@example.com");
    const cases: [unknown, RegExp][] = [
      [{ ...good, email: 42 }, /email/],
      [{ ...good, email: "not-an-email" }, /email/],
      [{ ...good, publicKey: undefined }, /publicKey/],
      [[good], /expected object/i],
    ];
    for (const [body, message] of cases) {
      const { res, json } = await start(body);
      expect(res.status).toBe(400);
      expect(json.error).toMatch(message);
    }
    const notJson = await sessionsPOST(post("/api/widget/sessions", null, { raw: "{email:" }));
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/JSON/);
  });

  it("answers 413 for a body over 16 KB", async () => {
    const { identity } = await newAccount();
    const res = await sessionsPOST(post("/api/widget/sessions", { ...identity("big@example.com"), name: "x".repeat(20_000) }));
    expect(res.status).toBe(413);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("stores answers of each kind and, for a mapped question, a pending delivery with the Intercom value", async () => {
    const { account, identity } = await newAccount();
    const { json: s } = await start(identity("lee@example.com"));
    const [choice, free, rating] = s.flow.questions;
    await db().insert(questionMappings).values([
      { accountId: account.id, questionId: choice!.id, intercomAttribute: "cancel_reason_code", intercomDataType: "string" },
      { accountId: account.id, questionId: free!.id, intercomAttribute: "cancel_comment", intercomDataType: "string" },
    ]);
    const option = choice!.options.find((o) => o.text === "It's too expensive")!;
    const answer = (body: unknown) => answerPOST(post(`/api/widget/sessions/${s.sessionId}/answers`, body), params(s.sessionId));

    expect((await answer({ sessionToken: s.sessionToken, questionId: choice!.id, optionId: option.id })).status).toBe(200);
    expect((await answer({ sessionToken: s.sessionToken, questionId: free!.id, text: `  ${"é".repeat(300)}  ` })).status).toBe(200);
    expect((await answer({ sessionToken: s.sessionToken, questionId: rating!.id, rating: 3 })).status).toBe(200);
    // Changing one's mind replaces the answer, it does not add a second one.
    expect((await answer({ sessionToken: s.sessionToken, questionId: rating!.id, rating: 4 })).status).toBe(200);

    const stored = await db().select().from(answers).where(eq(answers.sessionId, s.sessionId));
    expect(stored).toHaveLength(3);
    expect(stored.find((a) => a.questionId === rating!.id)?.ratingValue).toBe(4);
    expect(stored.find((a) => a.questionId === free!.id)?.textValue).toBe("é".repeat(300));

    const deliveries = await db().select().from(answerDeliveries).where(eq(answerDeliveries.accountId, account.id));
    expect(deliveries).toHaveLength(2);
    const byAttr = Object.fromEntries(deliveries.map((d) => [d.attribute, d]));
    expect(byAttr.cancel_reason_code).toMatchObject({ value: "too_expensive", state: "pending", truncated: false });
    expect(byAttr.cancel_comment).toMatchObject({ value: "é".repeat(255), state: "pending", truncated: true });
  });

  it("takes a free-text answer at its 5000-character limit whatever the characters weigh in bytes", async () => {
    const { identity } = await newAccount();
    const { json: s } = await start(identity("kim@example.com"));
    const free = s.flow.questions[1]!;
    const answer = (text: string) => answerPOST(post(`/api/widget/sessions/${s.sessionId}/answers`, { sessionToken: s.sessionToken, questionId: free.id, text }), params(s.sessionId));
    // 4 bytes each in UTF-8, and 6 bytes each as JSON escapes: 20 KB and 30 KB bodies.
    for (const text of ["😀".repeat(5000), "\u0007".repeat(4999) + "!"]) {
      const res = await answer(text);
      expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);
    }
    const stored = await db().select().from(answers).where(eq(answers.sessionId, s.sessionId));
    expect(stored.map((a) => a.textValue)).toEqual(["\u0007".repeat(4999) + "!"]);
    const over = await answer("😀".repeat(5001));
    expect(over.status).toBe(400);
    expect(((await over.json()) as { error: string }).error).toMatch(/at most 5000 characters/);
  });

  it("validates answers against the question kind and the session's own flow", async () => {
    const { identity } = await newAccount();
    const other = await newAccount();
    const { json: s } = await start(identity("ash@example.com"));
    const { json: foreign } = await start(other.identity("ash@example.com"));
    const [choice, free, rating] = s.flow.questions;
    const answer = async (body: unknown, id = s.sessionId) => {
      const res = await answerPOST(post(`/api/widget/sessions/${id}/answers`, body), params(id));
      return { status: res.status, error: ((await res.json()) as { error?: string }).error };
    };
    const t = s.sessionToken;
    const foreignOption = foreign.flow.questions[0]!.options[0]!.id;

    expect(await answer({ sessionToken: t, questionId: choice!.id })).toMatchObject({ status: 400, error: /optionId is required/ });
    expect(await answer({ sessionToken: t, questionId: choice!.id, optionId: foreignOption })).toMatchObject({ status: 400, error: /not an option/ });
    expect(await answer({ sessionToken: t, questionId: rating!.id, rating: 11 })).toMatchObject({ status: 400, error: /1 to 10/ });
    expect(await answer({ sessionToken: t, questionId: rating!.id, rating: 2.5 })).toMatchObject({ status: 400 });
    expect(await answer({ sessionToken: t, questionId: rating!.id, rating: "7" })).toMatchObject({ status: 400, error: /rating/ });
    expect(await answer({ sessionToken: t, questionId: free!.id, text: "   " })).toMatchObject({ status: 400, error: /text is required/ });
    expect(await answer({ sessionToken: t, questionId: free!.id, text: "x".repeat(5001) })).toMatchObject({ status: 400, error: /5000/ });
    expect(await answer({ sessionToken: t, questionId: "not-a-uuid", rating: 3 })).toMatchObject({ status: 400, error: /questionId/ });
    // Another account's question, even through a valid session of ours.
    expect(await answer({ sessionToken: t, questionId: foreign.flow.questions[2]!.id, rating: 3 })).toMatchObject({ status: 404 });
    // Our token does not open the other account's session.
    expect(await answer({ sessionToken: t, questionId: foreign.flow.questions[2]!.id, rating: 3 }, foreign.sessionId)).toMatchObject({
      status: 401,
    });
    expect(await answer({ sessionToken: "forged", questionId: rating!.id, rating: 3 })).toMatchObject({ status: 401 });
    expect(await answer({ sessionToken: t, questionId: rating!.id, rating: 3 }, "not-a-session")).toMatchObject({ status: 401 });
    const stored = await db().select().from(answers).where(eq(answers.sessionId, s.sessionId));
    expect(stored).toHaveLength(0);
  });

  it("completes a session, marks a cancelled subscriber and refuses later answers", async () => {
    const { account, identity } = await newAccount();
    const { json: s } = await start(identity("rio@example.com"));
    const complete = (body: unknown) => completePOST(post(`/api/widget/sessions/${s.sessionId}/complete`, body), params(s.sessionId));

    expect((await complete({ sessionToken: s.sessionToken, outcome: "maybe" })).status).toBe(400);
    const res = await complete({ sessionToken: s.sessionToken, outcome: "cancelled" });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect((await complete({ sessionToken: s.sessionToken, outcome: "cancelled" })).status).toBe(200);
    expect((await complete({ sessionToken: s.sessionToken, outcome: "retained" })).status).toBe(409);

    const [session] = await db().select().from(cancelSessions).where(eq(cancelSessions.id, s.sessionId));
    expect(session).toMatchObject({ status: "completed", outcome: "cancelled" });
    const [sub] = await db()
      .select()
      .from(subscribers)
      .where(and(eq(subscribers.accountId, account.id), eq(subscribers.emailKey, "rio@example.com")));
    expect(sub?.status).toBe("cancelled");

    const late = await answerPOST(
      post(`/api/widget/sessions/${s.sessionId}/answers`, { sessionToken: s.sessionToken, questionId: s.flow.questions[2]!.id, rating: 5 }),
      params(s.sessionId),
    );
    expect(late.status).toBe(409);
  });
});
