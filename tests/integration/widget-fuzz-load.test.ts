// A burst of widget answers through the route handler: the after-response drain (one per
// account, joined by the answers that arrive while it runs) delivers every one of them, with
// the exact values, in at most one PUT per contact and pass.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as answerPOST } from "@/app/api/widget/sessions/[id]/answers/route";
import { answerDeliveries, subscribers } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { decryptSecret } from "@/lib/crypto/encryption";
import { saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { signedIdentity } from "../support/widget-identity";
import { startWidgetSession } from "@/lib/widget/start-session";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

const SUBSCRIBERS = 12;

describe("answers posted in a burst", () => {
  const db = setupTestDb();
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator({ contactCount: 5 });
    useEmulatorHosts(emulator);
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("are all delivered after the responses, coalesced per contact", async () => {
    const { account } = await createTestAccount("Burst");
    await connectAccountToEmulator(account.id, emulator);
    const secret = decryptSecret(account.widgetSecretEnc);
    const sessions: Array<{ sessionId: string; sessionToken: string; flow: { questions: { id: string }[] }; contactId: string; i: number }> = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const email = `burst-${i}@example.com`;
      const started = await startWidgetSession({ publicKey: account.publicKey, email, ...signedIdentity(secret, { email }) });
      if (!started.ok) throw new Error(started.error);
      const contact = emulator.store.createContact({ email, role: "user" });
      await db()
        .update(subscribers)
        .set({ intercomContactId: contact.id, intercomMatch: "matched" })
        .where(and(eq(subscribers.accountId, account.id), eq(subscribers.emailKey, email)));
      sessions.push({ ...started, contactId: contact.id, i });
    }
    const [, free, rating] = sessions[0]!.flow.questions;
    const saved = await saveQuestionMappings(account.id, [
      { questionId: free!.id, intercomAttribute: "cancel_comment" },
      { questionId: rating!.id, intercomAttribute: "cancel_rating" },
    ]);
    expect(saved).toMatchObject({ ok: true });
    emulator.clearRequests();

    const post = (s: (typeof sessions)[number], body: Record<string, unknown>) =>
      answerPOST(
        new Request(`http://holdfast.test/api/widget/sessions/${s.sessionId}/answers`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ sessionToken: s.sessionToken, ...body }),
        }),
        { params: Promise.resolve({ id: s.sessionId }) },
      );
    const responses = await Promise.all(
      sessions.flatMap((s) => [post(s, { questionId: free!.id, text: `comment ${s.i}` }), post(s, { questionId: rating!.id, rating: (s.i % 10) + 1 })]),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(SUBSCRIBERS * 2).fill(200));

    const valuesOf = (s: (typeof sessions)[number]) => {
      const attrs = emulator.store.getContact(s.contactId)?.contact.custom_attributes ?? {};
      return [attrs.cancel_comment, attrs.cancel_rating];
    };
    const statesOf = async () =>
      (await db().select({ state: answerDeliveries.state }).from(answerDeliveries).where(eq(answerDeliveries.accountId, account.id))).map((d) => d.state);
    // A value reaches the contact before its delivery row says so: wait for both.
    const deadline = Date.now() + 20_000;
    while (
      Date.now() < deadline &&
      (sessions.some((s) => valuesOf(s)[0] === undefined || valuesOf(s)[1] === undefined) || (await statesOf()).some((state) => state !== "delivered"))
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const s of sessions) expect(valuesOf(s)).toEqual([`comment ${s.i}`, (s.i % 10) + 1]);
    expect(await statesOf()).toEqual(Array(SUBSCRIBERS * 2).fill("delivered"));
    // Each contact's two answers were written together or one after the other, never more.
    const puts = emulator.requests.filter((r) => r.method === "PUT");
    expect(puts.length).toBeGreaterThanOrEqual(SUBSCRIBERS);
    expect(puts.length).toBeLessThanOrEqual(SUBSCRIBERS * 2);
    console.log(`[widget burst] ${SUBSCRIBERS * 2} answers -> ${puts.length} PUTs to ${SUBSCRIBERS} contacts`);
  });
});
