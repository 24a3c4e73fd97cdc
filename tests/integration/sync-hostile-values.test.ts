import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { intercomConnections, subscriberPropertyValues, subscribers, syncErrors } from "@/db/schema";
import { emailKey } from "@/lib/matching/email";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// Page writes travel as one JSON or array-literal parameter: whatever Intercom holds must come
// back out exactly, and what Postgres cannot store (a NUL character) must not fail the page or run.
describe("inbound sync with hostile contact data", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;
  let propertyId: string;
  const subscriberIds = new Map<string, string>();

  const tricky = [
    { email: 'o"brien,{x}@example.com', plan: 'Pro "Max", {beta} \\ back\\slash' },
    { email: "spaces and \\slash@example.com", plan: "NULL" },
    { email: "café.ünïcode@example.com", plan: "😀 emoji, 'quotes' and\nnew lines" },
  ];

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 10 });
    useEmulatorHosts(emu);
    const { account } = await createTestAccount("Hostile");
    accountId = account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const saved = await savePropertyMappings(accountId, [{ intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } }]);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    propertyId = saved.mappings[0]!.property.id;
    for (const t of tricky) emu.store.createContact({ email: t.email, role: "user", custom_attributes: { plan_name: t.plan } });
    emu.store.createContact({ email: "nul.value@example.com", role: "user", custom_attributes: { plan_name: "bad\u0000value" } });
    emu.store.createContact({ email: "nul\u0000email@example.com", role: "user", custom_attributes: { plan_name: "Lost" } });
    const emails = [...tricky.map((t) => t.email), "nul.value@example.com"];
    const rows = await db()
      .insert(subscribers)
      .values(emails.map((email) => ({ accountId, email, emailKey: emailKey(email)! })))
      .returning();
    for (const r of rows) subscriberIds.set(r.emailKey, r.id);
  });

  afterAll(async () => {
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
    await emu.close();
  });

  const valueOf = async (email: string) => {
    const [row] = await db()
      .select()
      .from(subscriberPropertyValues)
      .where(and(eq(subscriberPropertyValues.subscriberId, subscriberIds.get(emailKey(email)!)!), eq(subscriberPropertyValues.propertyId, propertyId)));
    return row;
  };

  it("stores quotes, commas, braces, backslashes, unicode and 'NULL' exactly; a NUL shows as U+FFFD and an email with one matches nobody", async () => {
    const outcome = await runIntercomSync({ accountId, trigger: "manual", mode: "full", strategy: "scan" });
    expect(outcome).toMatchObject({ status: "succeeded", counts: { errorCount: 0 } });
    for (const t of tricky) expect((await valueOf(t.email))?.value, t.email).toBe(t.plan);
    const [linked] = await db().select().from(subscribers).where(eq(subscribers.id, subscriberIds.get(emailKey(tricky[0]!.email)!)!));
    expect(linked).toMatchObject({ intercomMatch: "matched" });

    expect((await valueOf("nul.value@example.com"))?.value).toBe("bad\uFFFDvalue");
    expect(await db().select().from(syncErrors).where(eq(syncErrors.accountId, accountId))).toEqual([]);
  });

  it("a second run over the same data writes nothing", async () => {
    const outcome = await runIntercomSync({ accountId, trigger: "manual", mode: "full", strategy: "scan" });
    expect(outcome).toMatchObject({ status: "succeeded", counts: { valuesUpdated: 0 } });
  });
});
