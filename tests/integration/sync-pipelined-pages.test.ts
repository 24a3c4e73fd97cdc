import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { intercomConnections, subscriberPropertyValues, subscribers } from "@/db/schema";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// A scan reads page N+1's state while page N is still being written. Two contacts sharing an email
// on consecutive pages (a lead, then the user it became) are exactly the case where that early
// read is out of date: page N+1 must see page N's lead as a candidate, or the subscriber ends up
// "matched" to one contact instead of "ambiguous" between two.
describe("pages read while the page before them is written", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 20 });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Pipelined pages")).account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const saved = await savePropertyMappings(accountId, [{ intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } }]);
    expect(saved.ok).toBe(true);
  });

  afterAll(async () => {
    await db().execute(sql`drop trigger if exists slow_lead_write on intercom_contacts`);
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
    await emu.close();
  });

  it("sees the earlier page's candidates when the pages share an email, on every page boundary", async () => {
    const seeded = emu.store.listContacts().length;
    const start = Math.floor(Date.now() / 1000) - 10_000;
    const shared: string[] = [];
    // Four pages. Positions in search order (updated_at ascending): the last of pages 1-3, and
    // the first of the page after each.
    for (let i = seeded; i < 600; i++) {
      const lastOfPage = (i + 1) % 150 === 0 && i < 599;
      const firstOfPage = i % 150 === 0 && i > 0;
      const email = lastOfPage || firstOfPage ? `shared-${Math.floor((i + 1) / 150)}@example.com` : `solo-${i}@example.com`;
      if (lastOfPage) shared.push(email);
      emu.store.createContact({
        email,
        role: lastOfPage ? "lead" : "user",
        created_at: start + i,
        custom_attributes: { plan_name: lastOfPage ? "Lead plan" : `Plan ${i}` },
      });
    }
    expect(shared).toHaveLength(3);
    await db().insert(subscribers).values(shared.map((email) => ({ accountId, email, emailKey: email })));
    // Holds each page's write open long enough for the next page's read to run before it commits
    // (on Postgres; PGlite runs one statement at a time, so there the read always comes after).
    await db().execute(sql`create or replace function slow_lead_write() returns trigger language plpgsql as $$ begin perform pg_sleep(0.3); return new; end $$`);
    await db().execute(sql`create trigger slow_lead_write before insert on intercom_contacts for each row when (new.role = 'lead') execute function slow_lead_write()`);

    const run = await runIntercomSync({ accountId, trigger: "manual", mode: "full", strategy: "scan" });
    expect(run).toMatchObject({ status: "succeeded", counts: { pagesRead: 4 } });
    for (const email of shared) {
      const [sub] = await db().select().from(subscribers).where(eq(subscribers.emailKey, email));
      const user = emu.store.listContacts().find((c) => c.email === email && c.role === "user")!;
      expect(sub).toMatchObject({ intercomContactId: user.id, intercomMatch: "ambiguous", intercomCandidates: 2 });
      const [value] = await db().select().from(subscriberPropertyValues).where(eq(subscriberPropertyValues.subscriberId, sub!.id));
      expect(value).toMatchObject({ value: user.custom_attributes.plan_name, sourceContactId: user.id });
    }
  });
});
