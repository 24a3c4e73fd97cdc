import { randomBytes } from "node:crypto";
import { inArray } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { intercomConnections, syncRuns } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto/encryption";
import { workspacesLongestWaitingFirst } from "@/lib/sync/run-scheduled-syncs";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

describe("the cron tick's order of workspaces", () => {
  const db = setupTestDb();
  const accounts: string[] = [];

  async function connected(label: string, connectedAt: Date) {
    const { account } = await createTestAccount(label);
    const [conn] = await db()
      .insert(intercomConnections)
      .values({
        accountId: account.id,
        workspaceId: `ws_${randomBytes(4).toString("hex")}`,
        workspaceName: label,
        region: "US",
        timezone: "UTC",
        accessTokenEnc: encryptSecret("token"),
        connectedAt,
      })
      .returning();
    accounts.push(account.id);
    return { accountId: account.id, connectionId: conn!.id };
  }

  afterAll(async () => {
    await db().update(intercomConnections).set({ status: "disconnected" }).where(inArray(intercomConnections.accountId, accounts));
  });

  it("takes the workspace that waited longest first, so a tick that runs out of time does not skip the same ones every time", async () => {
    const early = await connected("Connected first, synced a minute ago", new Date("2026-01-01T00:00:00Z"));
    const middle = await connected("Connected second, synced an hour ago", new Date("2026-02-01T00:00:00Z"));
    const late = await connected("Connected last, never synced", new Date("2026-03-01T00:00:00Z"));
    await db()
      .insert(syncRuns)
      .values([
        { ...early, trigger: "cron", mode: "incremental", status: "succeeded", startedAt: new Date(Date.now() - 60_000) },
        { ...middle, trigger: "cron", mode: "incremental", status: "partial", startedAt: new Date(Date.now() - 3_600_000) },
      ]);

    const order = (await workspacesLongestWaitingFirst()).map((w) => w.accountId).filter((id) => accounts.includes(id));
    expect(order).toEqual([late.accountId, middle.accountId, early.accountId]);
  });
});
