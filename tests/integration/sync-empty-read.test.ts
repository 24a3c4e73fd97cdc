import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededContactEmail, type RunningEmulator } from "@/emulators/intercom/server";
import { subscribers, syncRuns } from "@/db/schema";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { emailKey } from "@/lib/matching/email";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// Traps C26: a walk that yields nothing looks exactly like "nothing changed". A full read that
// returns no contacts from a workspace whose contacts matched subscribers before says so.
describe("a full read that returns no contacts", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 200 });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Empty read")).account.id;
    await connectAccountToEmulator(accountId, emu);
    const saved = await savePropertyMappings(accountId, [{ intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } }]);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    for (const n of [2, 3, 4]) {
      const email = seededContactEmail(n)!;
      await db().insert(subscribers).values({ accountId, email, emailKey: emailKey(email)! });
    }
  });
  afterAll(async () => emu?.close());

  it("is a success with a warning on the run, not a quiet success, when contacts matched before", async () => {
    const first = await runIntercomSync({ accountId, trigger: "manual", mode: "full" });
    expect(first).toMatchObject({ status: "succeeded", message: null });

    for (const { contact } of emu.store.activeContacts()) emu.store.deleteContact(contact.id);
    const empty = await runIntercomSync({ accountId, trigger: "manual", mode: "full" });
    expect(empty).toMatchObject({ status: "succeeded", counts: { contactsRead: 0 } });
    expect(empty.message).toMatch(/Intercom returned no contacts, though \d+ contacts? matched subscribers before/);
    if (!("runId" in empty)) throw new Error("the run did not start");
    const [run] = await db().select().from(syncRuns).where(eq(syncRuns.id, empty.runId));
    expect(run!.errorMessage).toBe(empty.message);
  });
});
