import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { intercomConnections, subscriberPropertyValues, subscribers } from "@/db/schema";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { setupTestDb } from "../support/db";
import { addSubscriberForEveryEmail, connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

describe("inbound sync at scale: 3,000 contacts, a subscriber for every email", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;
  let emails: string[];

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 3000 });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Scale")).account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const saved = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } },
      { intercomAttribute: "custom_attributes.seats", newProperty: { name: "Seats" } },
      { intercomAttribute: "custom_attributes.renewal_date", newProperty: { name: "Renewal date" } },
    ]);
    expect(saved.ok).toBe(true);
    emails = await addSubscriberForEveryEmail(accountId, emu);
  });

  afterAll(async () => {
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
    await emu.close();
  });

  it("links every subscriber and writes every value, then a second full run writes nothing", async () => {
    let started = performance.now();
    const first = await runIntercomSync({ accountId, trigger: "manual" });
    const firstMs = Math.round(performance.now() - started);
    started = performance.now();
    const second = await runIntercomSync({ accountId, trigger: "manual", mode: "full" });
    const secondMs = Math.round(performance.now() - started);
    console.log(`[sync] 3,000 contacts / ${emails.length} subscribers: first full sync ${firstMs} ms, unchanged full resync ${secondMs} ms`);

    expect(first).toMatchObject({ status: "succeeded", counts: { contactsMatched: emails.length, errorCount: 0 } });
    expect(second).toMatchObject({ status: "succeeded", counts: { contactsMatched: emails.length, valuesUpdated: 0 } });
    const unlinked = (await db().select().from(subscribers).where(eq(subscribers.accountId, accountId))).filter((s) => !s.intercomContactId);
    expect(unlinked).toEqual([]);
    const values = await db().select().from(subscriberPropertyValues).where(eq(subscriberPropertyValues.accountId, accountId));
    expect(values.length).toBe(emails.length * 3);
  });
});
