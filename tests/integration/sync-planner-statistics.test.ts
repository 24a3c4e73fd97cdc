import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { executeRows } from "@/db/bulk-sql";
import { intercomConnections } from "@/db/schema";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { setupTestDb } from "../support/db";
import { addSubscriberForEveryEmail, connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

// A first full sync fills the candidate table from nothing, and the subscribers it matches may
// never have had statistics taken (PGlite has no autovacuum): the planner has to learn their
// size during the run, or every page read is planned as a scan of the whole account.
describe("planner statistics during a full sync", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;

  const estimatedRows = async (table: string) =>
    Number((await executeRows<{ n: number }>(db(), sql`select reltuples::float8 as n from pg_class where relname = ${table}`))[0]!.n);
  // ANALYZE run by a statement, not by autovacuum (counted apart, in autoanalyze_count).
  const analyses = async (table: string) =>
    Number((await executeRows<{ n: number }>(db(), sql`select analyze_count::int as n from pg_stat_user_tables where relname = ${table}`))[0]!.n);

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 1_400 });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Statistics")).account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const saved = await savePropertyMappings(accountId, [{ intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } }]);
    expect(saved.ok).toBe(true);
    await addSubscriberForEveryEmail(accountId, emu);
  });

  afterAll(async () => {
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
    await emu.close();
  });

  it("are taken for the candidates and the subscribers once the run has filled a few pages", async () => {
    const before = { candidates: await analyses("intercom_contacts"), subscribers: await analyses("subscribers") };
    const outcome = await runIntercomSync({ accountId, trigger: "manual", mode: "full", strategy: "scan" });
    expect(outcome).toMatchObject({ status: "succeeded", counts: { pagesRead: 10 } });

    // Once after page 8 (1,200 contacts read), while the run went on; the subscribers only then.
    expect(await analyses("intercom_contacts")).toBe(before.candidates + 1);
    expect(await analyses("subscribers")).toBe(before.subscribers + 1);
    expect(await estimatedRows("intercom_contacts")).toBeGreaterThanOrEqual(1_000);
    expect(await estimatedRows("subscribers")).toBeGreaterThan(1_000);
  });
});
