import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededContactEmail, type ContactObject, type RunningEmulator } from "@/emulators/intercom/server";
import { startOfNextDay } from "@/emulators/intercom/day-boundaries";
import { intercomConnections, subscriberPropertyValues, subscribers, syncState } from "@/db/schema";
import { emailKey } from "@/lib/matching/email";
import { savePropertyMappings, type PropertyMapping } from "@/lib/mappings/property-mappings";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { SAFETY_LAG_SECONDS } from "@/lib/sync/watermark";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// 2024-11-03 in New York is 25 hours long (EDT ends at 02:00), so a day before an instant in its
// last hour is still on 2024-11-03, and 2.16's `>` on that starts only at the next midnight.
const ZONE = "America/New_York";
const EST_2200 = 1_730_689_200; // 2024-11-03 22:00 EST
const EST_2320 = 1_730_694_000;
const EST_2330 = 1_730_694_600;
const EST_2340 = 1_730_695_200;
const EST_2345 = 1_730_695_500;
const NEXT_MIDNIGHT = 1_730_696_400; // 2024-11-04 00:00 EST
const WEEK_BEFORE = EST_2200 - 7 * 86_400;

describe("sync in a workspace whose day has 25 hours (DST ends)", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;
  let plan: PropertyMapping;
  const subscriberOf = new Map<string, string>();

  const activeContact = (n: number) => emu.store.findContactsByEmail(seededContactEmail(n)!).find((s) => s.state === "active")!.contact;
  async function planOf(contact: ContactObject) {
    const [row] = await db()
      .select()
      .from(subscriberPropertyValues)
      .where(and(eq(subscriberPropertyValues.subscriberId, subscriberOf.get(emailKey(contact.email)!)!), eq(subscriberPropertyValues.propertyId, plan.property.id)));
    return row;
  }
  /** As if the last completed window had applied everything up to `floor` (the watermark minus the lag). */
  async function setFloor(floor: number) {
    await db().update(syncState).set({ watermark: floor + SAFETY_LAG_SECONDS }).where(eq(syncState.connectionId, connectionId));
  }

  beforeAll(async () => {
    emu = await startTestEmulator({ workspace: { timezone: ZONE } });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Sync DST")).account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const saved = await savePropertyMappings(accountId, [{ intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } }]);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    plan = saved.mappings[0]!;
    for (const n of [2, 3]) {
      // Last changed before that day, so the changes below are the newest versions.
      emu.store.updateContact(activeContact(n).id, { updated_at: WEEK_BEFORE });
      const email = seededContactEmail(n)!;
      const [row] = await db().insert(subscribers).values({ accountId, email, emailKey: emailKey(email)! }).returning();
      subscriberOf.set(emailKey(email)!, row!.id);
    }
    // Links the subscribers and dates the last full read: the runs below are incremental.
    expect(await runIntercomSync({ accountId, trigger: "manual", mode: "full" })).toMatchObject({ status: "succeeded" });
  });

  afterAll(async () => {
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
    await emu.close();
  });

  it("an incremental run applies a change between a floor in the day's last hour and the next local midnight", async () => {
    // The trap: a day before the floor is still 2024-11-03, so `>` that starts at the next midnight.
    expect(startOfNextDay(EST_2330 - 86_400, ZONE)).toBe(NEXT_MIDNIGHT);
    await setFloor(EST_2330);
    const target = activeContact(2);
    emu.store.updateContact(target.id, { custom_attributes: { plan_name: "Changed at 23:45 EST" }, updated_at: EST_2345 });

    const outcome = await runIntercomSync({ accountId, trigger: "cron" });

    expect(outcome).toMatchObject({ status: "succeeded", mode: "incremental" });
    expect(await planOf(target)).toMatchObject({ value: "Changed at 23:45 EST", sourceUpdatedAt: EST_2345 });
  });

  it("a window restarted after a 5xx resumes from the local midnight of its newest applied change", async () => {
    await setFloor(EST_2200);
    // A first page of 150 changes from 22:00 to 23:20 EST, and one at 23:40 on the page after it.
    const target = activeContact(3);
    const fillers = emu.store
      .activeContacts()
      .map((s) => s.contact)
      .filter((c) => c.id !== target.id && c.updated_at > NEXT_MIDNIGHT)
      .slice(0, 150);
    fillers.forEach((c, i) => emu.store.updateContact(c.id, { updated_at: EST_2200 + Math.round((i * (EST_2320 - EST_2200)) / 149) }));
    emu.store.updateContact(target.id, { custom_attributes: { plan_name: "Changed at 23:40 EST" }, updated_at: EST_2340 });

    const start = emu.requests.length;
    // The second page's request fails, and so do the client's own retries (1 + 3).
    emu.faults.inject({ status: 500, count: 4, after: 1, match: { pathPrefix: "/contacts/search" } });
    const outcome = await runIntercomSync({ accountId, trigger: "cron", strategy: "scan" });

    expect(outcome).toMatchObject({ status: "succeeded", mode: "incremental" });
    expect(emu.requests.slice(start).filter((r) => r.status === 500)).toHaveLength(4);
    expect(await planOf(target)).toMatchObject({ value: "Changed at 23:40 EST", sourceUpdatedAt: EST_2340 });
  });
});
