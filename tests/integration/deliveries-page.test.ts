import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerDeliveries } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { countDeliveriesByState, DELIVERIES_PAGE_SIZE, listDeliveries } from "@/lib/deliveries/list-deliveries";
import { retryAllFailedDeliveries } from "@/lib/deliveries/retry-deliveries";
import { setupTestDb } from "../support/db";
import { mapCommentQuestion, seedDelivery } from "../support/delivery-fixtures";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

type Account = Awaited<ReturnType<typeof createTestAccount>>["account"];
type Patch = NonNullable<Parameters<typeof seedDelivery>[3]["patch"]>;

const hourAgo = () => new Date(Date.now() - 60 * 60 * 1000);
const states: Record<string, Patch> = {
  delivered: { state: "delivered", attempts: 1, deliveredAt: new Date() },
  pending: { state: "pending", attempts: 0 },
  unknown: { state: "unknown", attempts: 1, lastErrorCode: "timeout", lastError: "Intercom did not answer in time" },
  failed: {
    state: "failed",
    attempts: 5,
    lastErrorCode: "server_error",
    lastStatus: 503,
    lastRequestId: "req_503_abc",
    lastError: "Gave up after 5 attempts",
    nextAttemptAt: hourAgo(),
  },
  needs_attention: {
    state: "needs_attention",
    attempts: 1,
    lastErrorCode: "not_found",
    lastStatus: 404,
    lastRequestId: "req_404_def",
    attentionReason: "contact_not_found",
    lastError: "Intercom contact not found",
    nextAttemptAt: hourAgo(),
  },
  superseded: { state: "superseded", attempts: 0 },
};

describe("deliveries page data", () => {
  const db = setupTestDb();
  const emulators: RunningEmulator[] = [];
  let mine: { account: Account; emulator: RunningEmulator; questionId: string };
  let theirs: { account: Account; emulator: RunningEmulator; questionId: string };
  const ids: Record<string, string[]> = {};
  const theirIds: string[] = [];

  async function tenant(label: string) {
    const emulator = await startTestEmulator({ contactCount: 3 });
    emulators.push(emulator);
    useEmulatorHosts(emulator);
    const { account } = await createTestAccount(label);
    await connectAccountToEmulator(account.id, emulator);
    return { account, emulator, questionId: await mapCommentQuestion(account) };
  }

  beforeAll(async () => {
    theirs = await tenant("DeliveriesTheirs");
    for (const state of ["failed", "needs_attention", "delivered"]) {
      const { deliveryId } = await seedDelivery(theirs.account, theirs.emulator, theirs.questionId, {
        email: `their-${state}@shared-domain.test`,
        text: `their ${state}`,
        patch: states[state],
      });
      theirIds.push(deliveryId);
    }
    // Mine last, so the emulator hosts point at my workspace for the retries below.
    mine = await tenant("DeliveriesMine");
    for (const [state, patch] of Object.entries(states)) {
      ids[state] = [];
      const copies = state === "delivered" ? 24 : 2;
      for (let i = 0; i < copies; i++) {
        const { deliveryId } = await seedDelivery(mine.account, mine.emulator, mine.questionId, {
          email: `${state.replace("_", "-")}-${i}@shared-domain.test`,
          text: `my ${state} ${i}`,
          patch,
        });
        ids[state]!.push(deliveryId);
      }
    }
  });

  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
  });

  it("counts each state for the tabs and the settings overview, for this account only", async () => {
    expect(await countDeliveriesByState(mine.account.id)).toEqual({
      all: 34,
      delivered: 24,
      pending: 2,
      unknown: 2,
      failed: 2,
      needs_attention: 2,
      superseded: 2,
    });
    expect(await countDeliveriesByState(theirs.account.id)).toMatchObject({ all: 3, failed: 1, needs_attention: 1, delivered: 1 });
  });

  it("lists a delivery with everything an admin needs to act on it", async () => {
    const list = await listDeliveries(mine.account.id, { state: "failed" });
    expect(list.total).toBe(2);
    expect(list.items.map((i) => i.id).sort()).toEqual([...ids.failed!].sort());
    const item = list.items.find((i) => i.subscriber.email === "failed-0@shared-domain.test")!;
    expect(item).toMatchObject({
      state: "failed",
      attempts: 5,
      attribute: "cancel_comment",
      value: "my failed 0",
      lastErrorCode: "server_error",
      lastStatus: 503,
      lastRequestId: "req_503_abc",
      lastError: "Gave up after 5 attempts",
      question: { prompt: expect.any(String) },
    });
    expect(item.subscriber.intercomContactId).toBeTruthy();
    expect(item.createdAt).toBeInstanceOf(Date);

    const delivered = await listDeliveries(mine.account.id, { state: "delivered" });
    expect(delivered.items.every((i) => i.state === "delivered" && i.deliveredAt instanceof Date)).toBe(true);
  });

  it("pages newest first without repeating or skipping a row", async () => {
    const first = await listDeliveries(mine.account.id, { page: 1 });
    const second = await listDeliveries(mine.account.id, { page: 2 });
    expect(first).toMatchObject({ total: 34, page: 1, pageCount: 2, pageSize: DELIVERIES_PAGE_SIZE });
    expect(first.items).toHaveLength(DELIVERIES_PAGE_SIZE);
    expect(second.items).toHaveLength(34 - DELIVERIES_PAGE_SIZE);
    const seen = new Set([...first.items, ...second.items].map((i) => i.id));
    expect(seen.size).toBe(34);
    const times = [...first.items, ...second.items].map((i) => i.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // Out-of-range pages land on the last page rather than an empty table.
    expect((await listDeliveries(mine.account.id, { page: 99 })).page).toBe(2);
    expect((await listDeliveries(mine.account.id, { page: -3 })).page).toBe(1);
  });

  it("searches by subscriber email within the account, with counts for the search", async () => {
    const found = await listDeliveries(mine.account.id, { q: "  NEEDS-ATTENTION-1@ " });
    expect(found.items.map((i) => i.id)).toEqual([ids.needs_attention![1]]);
    expect(found.counts).toMatchObject({ all: 1, needs_attention: 1, failed: 0 });

    // The same addresses exist in the other account; its rows never show here.
    const shared = await listDeliveries(mine.account.id, { q: "shared-domain" });
    expect(shared.total).toBe(34);
    expect(shared.items.some((i) => theirIds.includes(i.id))).toBe(false);
    const theirView = await listDeliveries(theirs.account.id, { q: "failed-0" });
    expect(theirView.items).toEqual([]);

    // LIKE wildcards typed by the admin are literal, and NUL does not break the query.
    expect((await listDeliveries(mine.account.id, { q: "%" })).total).toBe(0);
    expect((await listDeliveries(mine.account.id, { q: "_" })).total).toBe(0);
    expect((await listDeliveries(mine.account.id, { q: "fail\u0000ed-1" })).items.map((i) => i.id)).toEqual([ids.failed![1]]);
  });

  it("retry all requeues only this account's failed and needs-attention rows, keeps attempts, and delivers them", async () => {
    const before = Date.now();
    const retried = [...ids.failed!, ...ids.needs_attention!];
    const result = await retryAllFailedDeliveries(mine.account.id);
    expect(result).toEqual({ ok: true, requeued: 4 });

    // The other tenant's stuck rows are exactly as they were.
    const their = await db().select().from(answerDeliveries).where(inArray(answerDeliveries.id, theirIds));
    expect(their.map((r) => r.state).sort()).toEqual(["delivered", "failed", "needs_attention"]);
    expect(their.filter((r) => r.state !== "delivered").every((r) => r.nextAttemptAt.getTime() < before)).toBe(true);
    // Other states of mine are untouched.
    expect(await countDeliveriesByState(mine.account.id)).toMatchObject({ unknown: 2, superseded: 2 });

    // The drain started after the response sends them; each lands on its contact in Intercom.
    const deadline = Date.now() + 15_000;
    let rows = await db().select().from(answerDeliveries).where(inArray(answerDeliveries.id, retried));
    while (rows.some((r) => r.state !== "delivered") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await db().select().from(answerDeliveries).where(inArray(answerDeliveries.id, retried));
    }
    for (const row of rows) {
      expect(row.state).toBe("delivered");
      // Attempts carried on from before the retry (5 for failed, 1 for needs attention), plus this one.
      expect(row.attempts).toBeGreaterThan(ids.failed!.includes(row.id) ? 5 : 1);
      const contact = mine.emulator.store.getContact(row.contactId!)!.contact;
      expect(contact.custom_attributes.cancel_comment).toBe(row.value);
    }

    expect(await retryAllFailedDeliveries(mine.account.id)).toEqual({ ok: true, requeued: 0 });
    const [stillTheirs] = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, theirIds[0]!));
    expect(stillTheirs!.state).toBe("failed");
  });
});
