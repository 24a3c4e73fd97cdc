import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { closeDb, getDb } from "@/db/client";
import { intercomConnections, subscriberPropertyValues, subscribers, syncRuns, syncState } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { emailKey } from "@/lib/matching/email";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

const CONTACTS = 1500;
const PAGES = Math.ceil((CONTACTS - 1) / 150);

/** Resolves once the child has printed `pages` checkpointed pages. */
function pagesDone(child: ChildProcess, pages: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split("\n").slice(0, -1)) {
        if (line.startsWith("{") && (JSON.parse(line) as { page?: number }).page === pages) resolve();
      }
      buffer = buffer.slice(buffer.lastIndexOf("\n") + 1);
    });
    child.once("exit", (code) => reject(new Error(`sync worker exited (${code}) before page ${pages}`)));
  });
}

describe("a sync process killed mid-run", () => {
  // PGlite is single-process: the child gets its own data folder, which this file opens only
  // while the child is not running. On Postgres both use this file's own database.
  const dataDir = mkdtempSync(path.join(tmpdir(), "holdfast-sync-kill-"));
  beforeAll(() => {
    if (!process.env.DATABASE_URL) process.env.PGLITE_DATA_DIR = path.join(dataDir, "pglite");
    resetEnvCache();
  });
  setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let child: ChildProcess | undefined;

  afterAll(async () => {
    child?.kill("SIGKILL");
    const db = await getDb();
    await db.update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.accountId, accountId));
    await emu.close();
    await closeDb();
    process.env.PGLITE_DATA_DIR = "memory://";
    resetEnvCache();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("resumes from its checkpoint: every value present, no page read twice beyond the one in flight", async () => {
    emu = await startTestEmulator({ contactCount: CONTACTS });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Killed sync")).account.id;
    await connectAccountToEmulator(accountId, emu);
    const saved = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } },
      { intercomAttribute: "custom_attributes.seats", newProperty: { name: "Seats" } },
    ]);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    const users = emu.store.activeContacts().map((s) => s.contact).filter((c) => c.role === "user" && c.email);
    const rows = await (await getDb())
      .insert(subscribers)
      .values(users.map((c) => ({ accountId, email: c.email!, emailKey: emailKey(c.email)! })))
      .returning({ id: subscribers.id, emailKey: subscribers.emailKey });
    await closeDb();

    // Slow pages, so the kill lands in the middle of the run (and of a request).
    emu.faults.hang({ ms: 250, count: 10_000, match: { pathPrefix: "/contacts/search" } });
    const start = emu.requests.length;
    child = spawn(process.execPath, ["--import", "tsx", "tests/support/sync-worker.ts"], {
      cwd: process.cwd(),
      env: { ...process.env, SYNC_WORKER_ACCOUNT_ID: accountId },
      stdio: ["ignore", "pipe", "pipe"],
    });
    await pagesDone(child, 4);
    await new Promise((r) => setTimeout(r, 120));
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    child = undefined;
    emu.faults.clear();
    const childSearches = emu.requests.slice(start).filter((r) => r.path === "/contacts/search").length;

    const db = await getDb();
    const [paused] = await db.select().from(syncState).where(eq(syncState.accountId, accountId));
    expect(paused!.checkpoint).toMatchObject({ kind: "window", mode: "full", cursor: expect.any(String) });
    expect((paused!.checkpoint as { read: number }).read).toBeGreaterThanOrEqual(600);
    // The dead process still holds the lease: nobody can sync until it expires.
    expect(await runIntercomSync({ accountId, trigger: "cron" })).toMatchObject({ status: "already_running" });
    await db.update(syncState).set({ leaseExpiresAt: new Date(Date.now() - 1000) }).where(eq(syncState.accountId, accountId));

    const resumeStart = emu.requests.length;
    const resumed = await runIntercomSync({ accountId, trigger: "cron" });
    expect(resumed).toMatchObject({ status: "succeeded", mode: "full", strategy: "scan" });
    const resumedSearches = emu.requests.slice(resumeStart).filter((r) => r.path === "/contacts/search");
    expect((resumedSearches[0]!.body as { pagination: { starting_after?: string } }).pagination.starting_after).toEqual(expect.any(String));
    expect(childSearches + resumedSearches.length).toBeGreaterThanOrEqual(PAGES);
    expect(childSearches + resumedSearches.length).toBeLessThanOrEqual(PAGES + 1);

    const plan = saved.mappings.find((m) => m.intercomAttribute === "custom_attributes.plan_name")!;
    const values = await db
      .select({ subscriberId: subscriberPropertyValues.subscriberId, value: subscriberPropertyValues.value })
      .from(subscriberPropertyValues)
      .where(and(eq(subscriberPropertyValues.accountId, accountId), eq(subscriberPropertyValues.propertyId, plan.property.id)));
    const byId = new Map(values.map((v) => [v.subscriberId, v.value]));
    const contactByKey = new Map(users.map((c) => [emailKey(c.email)!, c]));
    const missing = rows.filter((r) => !byId.has(r.id) || byId.get(r.id) !== (contactByKey.get(r.emailKey)!.custom_attributes.plan_name ?? null));
    expect(missing).toEqual([]);
    const linked = await db.select({ id: subscribers.id }).from(subscribers).where(and(eq(subscribers.accountId, accountId), isNotNull(subscribers.intercomContactId)));
    expect(linked).toHaveLength(rows.length);
    const runs = await db.select().from(syncRuns).where(eq(syncRuns.accountId, accountId));
    expect(runs.map((r) => r.status).sort()).toEqual(["failed", "succeeded"]);
    expect(runs.find((r) => r.status === "failed")!.errorMessage).toContain("Interrupted");
  });
});
