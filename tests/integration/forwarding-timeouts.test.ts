import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerDeliveries } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { listDeliveries } from "@/lib/deliveries/list-deliveries";
import { resetEnvCache } from "@/lib/env";
import { MAX_ATTEMPTS } from "@/lib/forwarding/backoff";
import { retryDelivery } from "@/lib/forwarding/deliver";
import { drainDueDeliveries } from "@/lib/forwarding/drain";
import { setupTestDb } from "../support/db";
import { mapCommentQuestion, seedDelivery } from "../support/delivery-fixtures";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

const PUT = { method: "PUT", pathPrefix: "/contacts/" };
const MINUTE = 60_000;

/**
 * Trap C20: a write that timed out may have been applied by Intercom. However many times that
 * happens, the answer is never called "failed" (which says Intercom does not have it): it stays
 * unconfirmed, is re-sent with the same absolute value at a capped interval, and can be retried by hand.
 */
describe("answer deliveries whose every attempt timed out", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let account: Awaited<ReturnType<typeof createTestAccount>>["account"];
  let questionId: string;

  beforeAll(async () => {
    process.env.INTERCOM_TIMEOUT_MS = "200";
    resetEnvCache();
    emu = await startTestEmulator({ contactCount: 0 });
    useEmulatorHosts(emu);
    ({ account } = await createTestAccount("Timeouts"));
    await connectAccountToEmulator(account.id, emu);
    questionId = await mapCommentQuestion(account);
  });

  afterAll(async () => {
    delete process.env.INTERCOM_TIMEOUT_MS;
    resetEnvCache();
    await emu.close();
  });

  const row = async (id: string) => (await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, id)))[0]!;

  it("stays unconfirmed past the attempt limit, still re-sent at a capped hourly pace, listed and retryable by hand", async () => {
    const { deliveryId, contactId } = await seedDelivery(account, emu, questionId, { email: "slow@example.com", text: "Too slow" });
    emu.faults.hang({ ms: 800, count: MAX_ATTEMPTS + 1, match: PUT });

    for (let attempt = 1; attempt <= MAX_ATTEMPTS + 1; attempt++) {
      // Stands in for waiting out the backoff.
      await db().update(answerDeliveries).set({ nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(answerDeliveries.id, deliveryId));
      await drainDueDeliveries({ budgetMs: 20_000, accountId: account.id });
      expect(await row(deliveryId)).toMatchObject({ state: "unknown", attempts: attempt, lastErrorCode: "timeout" });
    }

    const after = await row(deliveryId);
    const wait = after.nextAttemptAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(29 * MINUTE);
    expect(wait).toBeLessThanOrEqual(60 * MINUTE);
    expect(after.lastError).toMatch(/did not answer within 200 ms/);

    const listed = await listDeliveries(account.id, { state: "unknown" });
    expect(listed.items.map((d) => d.id)).toEqual([deliveryId]);
    expect(listed.counts.failed).toBe(0);

    // Intercom is answering again: "Retry now" confirms it at once.
    expect(emu.faults.snapshot().hangs).toEqual([]);
    expect(await retryDelivery(account.id, deliveryId)).toEqual({ ok: true, outcome: "delivered" });
    expect(await row(deliveryId)).toMatchObject({ state: "delivered", contactId });
    expect(emu.store.getContact(contactId)?.contact.custom_attributes.cancel_comment).toBe("Too slow");
  });
});
