import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { executeRows } from "@/db/bulk-sql";
import { intercomConnections, subscriberPropertyValues } from "@/db/schema";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { setupTestDb } from "../support/db";
import { addSubscriberForEveryEmail, connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// On a Postgres server, a scan page and the checkpoint after it commit together, so they may skip
// the wait for the WAL flush: the page can always be read again. Nothing else may: answers,
// webhooks, the lease and the window's end stay durable, and the setting must not outlive the
// page's own transaction on a pooled connection. PGlite runs in the app's process, where a killed
// process would lose every page not flushed (sync-kill.test.ts): there every page waits.
describe("how a scan page commits", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 600 });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Page commit")).account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const saved = await savePropertyMappings(accountId, [{ intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } }]);
    expect(saved.ok).toBe(true);
    await addSubscriberForEveryEmail(accountId, emu);
    // Every write to the sync's checkpoint row, with the commit mode its transaction had.
    await db().execute(sql`create table checkpoint_commits (n serial primary key, mode text not null, has_cursor boolean not null)`);
    await db().execute(
      sql.raw(`
        create or replace function record_checkpoint_commit() returns trigger language plpgsql as $$
        begin
          insert into checkpoint_commits (mode, has_cursor) values (current_setting('synchronous_commit'), new.checkpoint ? 'cursor' and new.checkpoint->>'cursor' is not null);
          return new;
        end $$`),
    );
    await db().execute(sql`create trigger record_checkpoint_commit after update on sync_state for each row execute function record_checkpoint_commit()`);
  });

  afterAll(async () => {
    await db().execute(sql`drop trigger if exists record_checkpoint_commit on sync_state`);
    await db().execute(sql`drop table if exists checkpoint_commits`);
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
    await emu.close();
  });

  it("skips the WAL flush on Postgres only for the pages written with their checkpoint, and never on PGlite", async () => {
    const outcome = await runIntercomSync({ accountId, trigger: "manual", mode: "full", strategy: "scan" });
    expect(outcome).toMatchObject({ status: "succeeded", counts: { pagesRead: 4 } });
    const values = await db().select().from(subscriberPropertyValues).where(eq(subscriberPropertyValues.accountId, accountId));
    expect(values.length).toBeGreaterThan(0);

    const commits = await executeRows<{ mode: string; has_cursor: boolean }>(db(), sql`select mode, has_cursor from checkpoint_commits order by n`);
    expect(commits.length).toBeGreaterThanOrEqual(6);
    if (process.env.DATABASE_URL) {
      // Every page goes in with its checkpoint (a forced scan has no strategy to decide on its
      // first page), the last one's naming no next page; the lease and the end of the window are durable.
      expect(commits.filter((c) => c.mode === "off")).toHaveLength(4);
      expect(commits.filter((c) => c.mode === "off" && c.has_cursor)).toHaveLength(3);
      expect(commits.filter((c) => c.mode === "on").length).toBeGreaterThanOrEqual(2);
    } else {
      expect(commits.filter((c) => c.mode !== "on")).toEqual([]);
    }
    expect(commits[commits.length - 1]!.mode).toBe("on");
  });

  it("leaves every pooled connection committing durably afterwards", async () => {
    // Held at once, the queries take distinct connections of the pool (one session on PGlite).
    const settings = await Promise.all(
      Array.from({ length: 10 }, () => executeRows<{ mode: string }>(db(), sql`select current_setting('synchronous_commit') as mode, pg_sleep(0.05)`)),
    );
    expect(settings.map(([row]) => row!.mode)).toEqual(Array(10).fill("on"));
  });
});
