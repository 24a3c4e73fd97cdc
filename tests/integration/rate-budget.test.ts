import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { intercomConnections, intercomRateLimits } from "@/db/schema";
import { clientForConnection, type IntercomConnection } from "@/lib/connections/intercom-connection";
import { createIntercomClient, type ClientStats } from "@/lib/intercom/client";
import { reserveFor } from "@/lib/intercom/rate-budget";
import { createSharedRateBudget } from "@/lib/intercom/rate-budget-store";
import { resetEnvCache } from "@/lib/env";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

const LIMIT = 20;
const WINDOW_MS = 10_000;

const newStats = (): ClientStats => ({ apiCalls: 0, rateLimitWaits: 0 });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Starts close to the end of an emulator window, so exhausting it and waiting for the reset is quick. */
async function nearWindowEnd(msLeft = 2_500) {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left > msLeft) await sleep(left - msLeft);
}

describe("one Intercom rate-limit budget per workspace", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let other: RunningEmulator;
  let conn: IntercomConnection;
  let otherConn: IntercomConnection;

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 30, rateLimitPerWindow: LIMIT });
    other = await startTestEmulator({ contactCount: 30, rateLimitPerWindow: LIMIT });
    useEmulatorHosts(emu);
    conn = await connectAccountToEmulator((await createTestAccount("Budget")).account.id, emu);
    otherConn = await connectAccountToEmulator((await createTestAccount("Budget other")).account.id, other);
  });

  afterAll(async () => {
    for (const c of [conn, otherConn]) {
      await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, c.id));
    }
    await emu.close();
    await other.close();
  });

  const statuses = (e: RunningEmulator) => e.requests.map((r) => r.status);

  /** Spends the window down to its reserve, as a sync paging fast would. */
  async function exhaust(client: ReturnType<typeof createIntercomClient>) {
    do await client.me();
    while ((client.rate.remaining ?? LIMIT) > reserveFor(LIMIT));
  }

  it("sync and write-back clients of one workspace share it: the second waits for the reset instead of a 429", async () => {
    useEmulatorHosts(emu);
    emu.clearRequests();
    await nearWindowEnd();
    const syncStats = newStats();
    const writeBackStats = newStats();
    const sync = clientForConnection(conn, { retries: 3, stats: syncStats });
    const writeBack = clientForConnection(conn, { retries: 0, stats: writeBackStats });
    await exhaust(sync);
    const exhaustedWindowEnds = sync.rate.resetAt!;

    const contacts = await writeBack.searchContacts({ query: { field: "role", operator: "=", value: "user" }, pagination: { per_page: 5 } });
    expect(contacts.data).toHaveLength(5);
    expect(writeBackStats.rateLimitWaits).toBe(1);
    expect(Date.now()).toBeGreaterThanOrEqual(exhaustedWindowEnds);
    expect(statuses(emu)).not.toContain(429);
    expect(syncStats.rateLimitWaits).toBe(0);
  });

  it("processes that share nothing but the database learn the spent window from it", async () => {
    useEmulatorHosts(emu);
    emu.clearRequests();
    await nearWindowEnd();
    const token = emu.issueToken();
    const cronStats = newStats();
    const workerStats = newStats();
    const cron = createIntercomClient({ token, stats: cronStats, budget: createSharedRateBudget(conn.workspaceId) });
    await exhaust(cron);

    const [row] = await db().select().from(intercomRateLimits).where(eq(intercomRateLimits.workspaceId, conn.workspaceId));
    expect(row?.limitPerWindow).toBe(LIMIT);
    expect(row?.remaining).toBeLessThanOrEqual(2 * reserveFor(LIMIT));

    // A fresh process (own memory, never saw a header) is about to write an answer.
    const worker = createIntercomClient({ token, stats: workerStats, budget: createSharedRateBudget(conn.workspaceId) });
    await worker.me();
    expect(workerStats.rateLimitWaits).toBe(1);
    expect(statuses(emu)).not.toContain(429);

    // Both at once across the next windows: everything succeeds, Intercom never says 429.
    await Promise.all([
      Promise.all(Array.from({ length: 4 }, () => cron.me())),
      (async () => {
        for (let i = 0; i < 8; i++) await worker.me();
      })(),
      (async () => {
        for (let i = 0; i < 8; i++) await cron.me();
      })(),
    ]);
    expect(statuses(emu)).not.toContain(429);
    expect(cronStats.rateLimitWaits + workerStats.rateLimitWaits).toBeGreaterThanOrEqual(2);
  });

  it("another workspace's budget is unaffected", async () => {
    useEmulatorHosts(emu);
    await nearWindowEnd(5_000);
    const spent = newStats();
    await exhaust(clientForConnection(conn, { stats: spent }));

    useEmulatorHosts(other);
    const otherStats = newStats();
    const started = Date.now();
    await clientForConnection(otherConn, { stats: otherStats }).me();
    expect(otherStats.rateLimitWaits).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("a 429 is recorded for every client and waited out until its reset", async () => {
    useEmulatorHosts(other);
    await nearWindowEnd(3_000);
    other.clearRequests();
    other.faults.inject({ status: 429, count: 1, match: { pathPrefix: "/me" } });
    const stats = newStats();
    const client = clientForConnection(otherConn, { retries: 2, stats });
    const me = await client.me();
    expect(me.app.id_code).toBe(otherConn.workspaceId);
    expect(stats.rateLimitWaits).toBe(1);
    expect(stats.apiCalls).toBe(2);
    expect(statuses(other)).toEqual([429, 200]);
    // The retry went out only after the window the 429 named had ended.
    const [limited, retried] = other.requests;
    expect(Math.floor(retried!.at / WINDOW_MS)).toBeGreaterThan(Math.floor(limited!.at / WINDOW_MS));

    const [row] = await db().select().from(intercomRateLimits).where(eq(intercomRateLimits.workspaceId, otherConn.workspaceId));
    expect(row?.resetAt?.getTime()).toBeGreaterThan(limited!.at);
  });
});

describe("a 429 without X-RateLimit-Reset", () => {
  let server: Server;
  let calls = 0;

  beforeAll(async () => {
    // Not the emulator: its 429s always carry the headers, and this case is a real API's gap (traps C18).
    server = createServer((req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ type: "error.list", errors: [{ code: "rate_limit_exceeded", message: "Too many" }] }));
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ type: "admin", id: "1", email: "a@b.c", app: { id_code: "abc123", name: "Stub", region: "US", timezone: "UTC" } }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    process.env.INTERCOM_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    resetEnvCache();
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it("falls back to waiting one full window, then succeeds", async () => {
    const waits: number[] = [];
    const stats = newStats();
    const client = createIntercomClient({ token: "t", retries: 1, stats, sleep: async (ms) => void waits.push(ms) });
    const me = await client.me();
    expect(me.app.id_code).toBe("abc123");
    expect(calls).toBe(2);
    expect(stats.rateLimitWaits).toBe(1);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(9_900);
    expect(waits[0]).toBeLessThan(10_500);
  });

  it("with no retries left, the caller gets a rate_limited error naming the fallback wait", async () => {
    calls = 0;
    const err = await createIntercomClient({ token: "t" }).me().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "rate_limited", details: { status: 429, retryAfterMs: 10_000 } });
  });
});
