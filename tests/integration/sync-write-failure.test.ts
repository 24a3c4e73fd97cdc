import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { intercomConnections, subscriberPropertyValues, subscribers, syncState } from "@/db/schema";
import { emailKey } from "@/lib/matching/email";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { setupTestDb } from "../support/db";
import { addSubscriberForEveryEmail, connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// A page whose database write fails (a constraint, a deadlock, a dropped connection) fails the
// run. Its contacts were never applied, so the window's safe point must not move past them: the
// next run has to apply every one of them.
describe("a page whose database write fails mid-run", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;
  let emails: string[];

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 900 });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Write failure")).account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const saved = await savePropertyMappings(accountId, [{ intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } }]);
    expect(saved.ok).toBe(true);
    emails = await addSubscriberForEveryEmail(accountId, emu);
  });

  afterAll(async () => {
    await db().execute(sql`drop trigger if exists fail_one_value on subscriber_property_values`);
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
    await emu.close();
  });

  it("leaves the failed page to the next run, which applies every contact of it", async () => {
    // The newest contact of the third page (search order: updated_at ascending, 150 a page).
    const ordered = emu.store.listContacts().sort((a, b) => a.updated_at - b.updated_at);
    const third = ordered.slice(300, 450).filter((c) => emailKey(c.email) !== null);
    const newest = third[third.length - 1]!;
    expect(third.filter((c) => c.updated_at < newest.updated_at).length).toBeGreaterThan(100);
    const [target] = await db().select().from(subscribers).where(eq(subscribers.emailKey, emailKey(newest.email)!));

    await db().execute(
      sql.raw(`
        create or replace function fail_one_value() returns trigger language plpgsql as $$
        begin
          if new.subscriber_id = '${target!.id}' then raise exception 'injected write failure'; end if;
          return new;
        end $$`),
    );
    await db().execute(sql`create trigger fail_one_value before insert on subscriber_property_values for each row execute function fail_one_value()`);
    const failed = await runIntercomSync({ accountId, trigger: "manual", mode: "full" });
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed.message).toMatch(/injected write failure/);
    const partial = await db().select().from(subscriberPropertyValues).where(eq(subscriberPropertyValues.accountId, accountId));
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(emails.length);
    // The checkpoint saved with page 2 stands (the next run continues at page 3), not a restart
    // of the window from the failed page's newest contact.
    const [state] = await db().select().from(syncState).where(eq(syncState.connectionId, connectionId));
    expect(state!.checkpoint).toMatchObject({ cursor: expect.any(String), floor: null, read: 300 });

    await db().execute(sql`drop trigger fail_one_value on subscriber_property_values`);
    const resumed = await runIntercomSync({ accountId, trigger: "manual" });
    expect(resumed).toMatchObject({ status: "succeeded" });
    const values = await db().select().from(subscriberPropertyValues).where(eq(subscriberPropertyValues.accountId, accountId));
    expect(values.length).toBe(emails.length);
  });
});
