import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/cron/intercom-sync/route";
import { seededContactEmail, type RunningEmulator } from "@/emulators/intercom/server";
import { intercomConnections, subscribers, syncRuns } from "@/db/schema";
import { emailKey } from "@/lib/matching/email";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

const SECRET = "test-cron-secret-0123456789"; // vitest.config.ts sets CRON_SECRET to this

function cronRequest(authorization?: string) {
  return new Request("http://127.0.0.1:3999/api/cron/intercom-sync", {
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
}

describe("GET /api/cron/intercom-sync", () => {
  // The tick sweeps every connected tenant: on a shared Postgres it must not reach other files' accounts.
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 200 });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Cron")).account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
    const email = seededContactEmail(2)!;
    await db().insert(subscribers).values({ accountId, email, emailKey: emailKey(email)! });
  });

  afterAll(async () => {
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
    await emu.close();
  });

  it.each([
    ["no Authorization header", undefined],
    ["a wrong secret", "Bearer not-the-secret"],
    ["the secret with a different scheme", `Basic ${SECRET}`],
    ["a longer secret", `Bearer ${SECRET}x`],
  ])("answers 401 to %s and runs nothing", async (_label, authorization) => {
    const res = await GET(cronRequest(authorization));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: expect.stringContaining("Unauthorized") });
    expect(await db().select().from(syncRuns).where(eq(syncRuns.accountId, accountId))).toEqual([]);
  });

  it("with the secret, syncs every connected workspace and reports what it did", async () => {
    const res = await GET(cronRequest(`Bearer ${SECRET}`));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, deliveries: { attempted: expect.any(Number) } });
    expect(body.syncs).toContainEqual(
      expect.objectContaining({ accountId, status: "succeeded", mode: "full", counts: expect.objectContaining({ contactsRead: 199 }) }),
    );
    const [sub] = await db().select().from(subscribers).where(eq(subscribers.accountId, accountId));
    expect(sub).toMatchObject({ intercomMatch: "matched", intercomContactId: expect.any(String) });
    const runs = await db().select().from(syncRuns).where(eq(syncRuns.accountId, accountId));
    expect(runs).toEqual([expect.objectContaining({ trigger: "cron", status: "succeeded" })]);
  });
});
