import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeRows } from "@/db/bulk-sql";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";
import { customProperties, propertyMappings, subscriberPropertyValues, subscribers } from "@/db/schema";
import type { IntercomContact } from "@/lib/intercom/schemas";
import { resetEnvCache } from "@/lib/env";
import { applyContactPage, readContactPage } from "@/lib/sync/apply-contact-page";
import { loadSyncMappings } from "@/lib/sync/sync-mappings";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

const contact = (id: string, email: string, updatedAt: number, custom: Record<string, string> = {}): IntercomContact =>
  ({ type: "contact", id, role: "user", email, external_id: null, updated_at: updatedAt, custom_attributes: custom }) as IntercomContact;

function withPreparedStatements<T>(setting: "on" | "off", run: () => Promise<T>): Promise<T> {
  process.env.DATABASE_PREPARED_STATEMENTS = setting;
  resetEnvCache();
  return run().finally(() => {
    delete process.env.DATABASE_PREPARED_STATEMENTS;
    resetEnvCache();
  });
}

// The sync runs its page read and write once a page with the same text; they are prepared once
// per connection (Postgres) or database (PGlite) instead of parsed and planned again every time.
describe("the sync's page statements", () => {
  const db = setupTestDb();
  let accountId: string;

  /** Two accounts set up alike: a subscriber and one mapped text property each. */
  async function twinAccount(label: string) {
    const { account } = await createTestAccount(label);
    const [property] = await db().insert(customProperties).values({ accountId: account.id, key: "plan", name: "Plan", type: "text" }).returning();
    await db().insert(propertyMappings).values({
      accountId: account.id,
      intercomAttribute: "custom_attributes.plan",
      intercomLabel: "Plan",
      intercomDataType: "string",
      propertyId: property!.id,
    });
    await db().insert(subscribers).values([{ accountId: account.id, email: "ana@example.com", emailKey: "ana@example.com" }]);
    return account.id;
  }

  async function applyAndRead(setting: "on" | "off", account: string) {
    const ctx = { accountId: account, runId: null, mappings: await loadSyncMappings(db(), account) };
    const page = [contact("c1", "Ana@Example.com", 1_000, { plan: "Pro" }), contact("c2", "bob@example.com", 1_000, { plan: "Free" })];
    const outcome = await withPreparedStatements(setting, () => applyContactPage(db(), ctx, page));
    const [subscriber] = await db().select().from(subscribers).where(eq(subscribers.accountId, account));
    const values = await db().select().from(subscriberPropertyValues).where(eq(subscriberPropertyValues.accountId, account));
    return { outcome: { ...outcome, linkedSubscriberIds: outcome.linkedSubscriberIds.length }, subscriber, values: values.map((v) => v.value) };
  }

  beforeAll(async () => {
    accountId = await twinAccount("Prepared statements");
  });

  it("link, count and write the same prepared or not", async () => {
    const prepared = await applyAndRead("on", accountId);
    const unprepared = await applyAndRead("off", await twinAccount("Unprepared statements"));
    expect(prepared.outcome).toMatchObject({ linkedSubscriberIds: 1, valuesUpdated: 1, errors: 0 });
    expect(prepared.subscriber).toMatchObject({ intercomContactId: "c1", intercomMatch: "matched" });
    expect(prepared.values).toEqual(["Pro"]);
    expect(unprepared.outcome).toEqual(prepared.outcome);
    expect(unprepared.subscriber).toMatchObject({ intercomContactId: "c1", intercomMatch: "matched" });
    expect(unprepared.values).toEqual(prepared.values);
  });

  // The embedded database is one session: what it has prepared is in its pg_prepared_statements.
  describe.runIf(!process.env.DATABASE_URL)("on PGlite", () => {
    const preparedReads = async () =>
      (await executeRows<{ generic: number; custom: number }>(
        db(),
        sql`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where statement like '%with known as%'`,
      )).map((r) => ({ generic: Number(r.generic), custom: Number(r.custom) }));

    it("are prepared once, planned once, and not at all when switched off", async () => {
      const before = await preparedReads();
      const pages = Array.from({ length: 7 }, (_, i) => [contact(`p${i}`, `reader${i}@example.com`, 1_000)]);
      await withPreparedStatements("off", () => readContactPage(db(), accountId, pages[0]!));
      expect(await preparedReads()).toEqual(before);
      await withPreparedStatements("on", async () => {
        for (const page of pages) await readContactPage(db(), accountId, page);
      });
      const after = await preparedReads();
      expect(after).toHaveLength(1);
      // A custom plan would be made for every page: planning the read costs more than running it.
      expect(after[0]!.custom).toBe(0);
      expect(after[0]!.generic).toBeGreaterThanOrEqual(7);
    });
  });

  // Postgres sessions are per connection: one connection of its own to look at.
  describe.runIf(Boolean(process.env.DATABASE_URL))("on Postgres", () => {
    let client: postgres.Sql;
    let single: Db;
    beforeAll(() => {
      // One connection, so pg_prepared_statements (per session) shows what the page read left.
      client = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      single = drizzle(client, { schema }) as unknown as Db;
    });
    afterAll(() => client.end({ timeout: 5 }));

    const preparedReads = async () =>
      (await client.unsafe("select statement from pg_prepared_statements")).filter((r) => String(r.statement).includes("with known")).length;

    it("are prepared once per connection, and not at all when switched off", async () => {
      const page = [contact("c3", "carla@example.com", 1_000)];
      await withPreparedStatements("off", () => readContactPage(single, accountId, page));
      expect(await preparedReads()).toBe(0);
      await withPreparedStatements("on", async () => {
        await readContactPage(single, accountId, page);
        await readContactPage(single, accountId, [contact("c4", "dan@example.com", 1_000)]);
      });
      expect(await preparedReads()).toBe(1);
    });
  });
});
