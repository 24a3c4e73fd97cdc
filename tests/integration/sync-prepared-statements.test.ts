import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";
import { subscribers } from "@/db/schema";
import type { IntercomContact } from "@/lib/intercom/schemas";
import { resetEnvCache } from "@/lib/env";
import { applyContactPage, readContactPage } from "@/lib/sync/apply-contact-page";
import { loadSyncMappings } from "@/lib/sync/sync-mappings";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

const contact = (id: string, email: string, updatedAt: number): IntercomContact =>
  ({ type: "contact", id, role: "user", email, external_id: null, updated_at: updatedAt, custom_attributes: {} }) as IntercomContact;

function withPreparedStatements<T>(setting: "on" | "off", run: () => Promise<T>): Promise<T> {
  process.env.DATABASE_PREPARED_STATEMENTS = setting;
  resetEnvCache();
  return run().finally(() => {
    delete process.env.DATABASE_PREPARED_STATEMENTS;
    resetEnvCache();
  });
}

// The sync runs its page read and write once a page with the same text; on Postgres they are
// prepared once per connection instead of parsed and planned again every time.
describe("the sync's page statements", () => {
  const db = setupTestDb();
  let accountId: string;

  beforeAll(async () => {
    accountId = (await createTestAccount("Prepared statements")).account.id;
    await db().insert(subscribers).values([{ accountId, email: "ana@example.com", emailKey: "ana@example.com" }]);
  });

  it("link the same subscribers prepared or not", async () => {
    const ctx = { accountId, runId: null, mappings: await loadSyncMappings(db(), accountId) };
    const page = [contact("c1", "Ana@Example.com", 1_000), contact("c2", "bob@example.com", 1_000)];
    const prepared = await withPreparedStatements("on", () => applyContactPage(db(), ctx, page));
    const [before] = await db().select().from(subscribers);
    // The same page once more, unprepared: nothing is left to change, and both read the same state.
    const again = await withPreparedStatements("off", () => applyContactPage(db(), ctx, page));
    expect(prepared.linkedSubscriberIds).toEqual([before!.id]);
    expect(before).toMatchObject({ intercomContactId: "c1", intercomMatch: "matched" });
    expect(again).toMatchObject({ linkedSubscriberIds: [before!.id], valuesUpdated: 0 });
    const [onState, offState] = [
      await withPreparedStatements("on", () => readContactPage(db(), accountId, page)),
      await withPreparedStatements("off", () => readContactPage(db(), accountId, page)),
    ];
    expect(onState).toEqual(offState);
  });

  // Only Postgres has prepared statements to look at; the test above covers both databases.
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
