import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededContactEmail, type RunningEmulator } from "@/emulators/intercom/server";
import { subscriberPropertyValues, subscribers, syncState } from "@/db/schema";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { emailKey } from "@/lib/matching/email";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// Traps C18 and C25: a rate-limit wait longer than what is left of the invocation's time budget
// must end the run with a checkpoint, not hold it until the platform kills it mid-wait.
describe("a sync that meets a rate-limit wait past its time budget", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;
  const SUBSCRIBED = [2, 3, 4, 6, 8, 9, 11, 12, 13, 16, 17, 18, 19, 21, 22, 23, 24, 26, 27, 28, 302, 303, 304, 306, 308];

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 600 });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Sync deadline")).account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const saved = await savePropertyMappings(accountId, [{ intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } }]);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    for (const n of SUBSCRIBED) {
      const email = seededContactEmail(n)!;
      await db().insert(subscribers).values({ accountId, email, emailKey: emailKey(email)! });
    }
  });
  afterAll(async () => emu?.close());

  const BUDGET_MS = 3_000;
  const WINDOW_MS = 10_000;
  const CLEARANCE_MS = 1_500;
  // The emulator's windows are 10-second slices of the clock. With a window reset just before the
  // deadline, the run rightly waits for it, then reads and applies a page that ends past the
  // deadline (docs/sync.md, guarantee 8: it stops between pages), and "stopped in time" becomes a
  // race. So the run starts where the next reset is CLEARANCE_MS or more from the deadline: either
  // soon enough that the page after it ends in time, or late enough that waiting for it is refused.
  async function startClearOfTheDeadline(budgetMs: number) {
    const untilReset = WINDOW_MS - (Date.now() % WINDOW_MS);
    if (Math.abs(untilReset - budgetMs) < CLEARANCE_MS) await new Promise((r) => setTimeout(r, untilReset - (budgetMs - CLEARANCE_MS)));
  }

  it("stops at once with its checkpoint, and the next run finishes the window", async () => {
    // Three requests per 10-second window and a reserve of two: one page per window, so the
    // 4-page walk needs 30 s and some wait for a window must cross the 3-second budget.
    emu.configure({ rateLimitPerWindow: 3 });
    await startClearOfTheDeadline(BUDGET_MS);
    const started = Date.now();
    const stopped = await runIntercomSync({ accountId, trigger: "cron", mode: "full", budgetMs: BUDGET_MS });
    const elapsedMs = Date.now() - started;

    expect(stopped.status).toBe("partial");
    expect(stopped.message).toMatch(/past this run's time limit; the next run continues from the checkpoint/);
    expect(elapsedMs).toBeLessThan(BUDGET_MS);
    const [paused] = await db().select().from(syncState).where(eq(syncState.connectionId, connectionId));
    expect(paused).toMatchObject({ leaseOwner: null, checkpoint: { kind: "window", mode: "full", cursor: expect.any(String) } });
    if (!("counts" in stopped)) throw new Error("the run did not start");
    const read = stopped.counts.contactsRead;
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(emu.store.counts().active);

    emu.configure({ rateLimitPerWindow: 10_000 });
    const finished = await runIntercomSync({ accountId, trigger: "cron", budgetMs: 60_000 });
    expect(finished).toMatchObject({ status: "succeeded", mode: "full" });
    if (!("counts" in finished)) throw new Error("the run did not start");
    // Nothing read twice beyond the page the first run stopped before, nothing missed.
    expect(read + finished.counts.contactsRead).toBe(emu.store.counts().active);
    const withValues = await db()
      .select({ id: subscriberPropertyValues.subscriberId })
      .from(subscriberPropertyValues)
      .where(and(eq(subscriberPropertyValues.accountId, accountId), isNotNull(subscriberPropertyValues.value)));
    const withPlan = SUBSCRIBED.filter((n) => emu.store.findContactsByEmail(seededContactEmail(n)!).some((s) => s.contact.custom_attributes.plan_name != null));
    expect(withPlan.length).toBeGreaterThan(SUBSCRIBED.length / 2);
    expect(withValues).toHaveLength(withPlan.length);
  });
});
