import { randomBytes } from "node:crypto";
import { signUp } from "@/lib/accounts/sign-up";
import { getDb } from "@/db/client";
import { intercomConnections, subscribers } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto/encryption";
import type { EmulatorOptions, RunningEmulator } from "@/emulators/intercom/server";
import { resetEnvCache } from "@/lib/env";
import { emailKey } from "@/lib/matching/email";

/** A fresh tenant with its owner, as sign-up makes it (unique, so tests share one database safely). */
export async function createTestAccount(label = "Test") {
  const suffix = randomBytes(5).toString("hex");
  return signUp({
    accountName: `${label} ${suffix}`,
    name: `${label} Admin`,
    email: `admin-${suffix}@holdfast.test`,
    password: "correct horse battery staple",
  });
}

/** Connects an account straight to an emulator workspace, skipping the browser consent step. */
export async function connectAccountToEmulator(accountId: string, emulator: RunningEmulator) {
  const token = emulator.issueToken();
  const db = await getDb();
  const me = emulator.store.workspace;
  const [conn] = await db
    .insert(intercomConnections)
    .values({
      accountId,
      workspaceId: me.id,
      workspaceName: me.name,
      region: me.region,
      timezone: me.timezone,
      accessTokenEnc: encryptSecret(token),
    })
    .returning();
  if (!conn) throw new Error("connection insert returned nothing");
  return conn;
}

/**
 * An in-process emulator with a workspace id of its own: test files share one Postgres in CI, and
 * a live workspace may belong to one account only.
 */
export async function startTestEmulator(opts: EmulatorOptions = {}) {
  const { startIntercomEmulator } = await import("@/emulators/intercom/server");
  return startIntercomEmulator({
    contactCount: 300,
    ...opts,
    workspace: { id: `ws_${randomBytes(4).toString("hex")}`, ...opts.workspace },
  });
}

/** Points the app's Intercom hosts at an emulator (INTERCOM_API_URL / INTERCOM_APP_URL). */
export function useEmulatorHosts(emulator: RunningEmulator) {
  process.env.INTERCOM_API_URL = emulator.url;
  process.env.INTERCOM_APP_URL = emulator.url;
  resetEnvCache();
}

/** A subscriber for every distinct email in the emulator's workspace; returns their email keys. */
export async function addSubscriberForEveryEmail(accountId: string, emulator: RunningEmulator): Promise<string[]> {
  const keys = [...new Set(emulator.store.listContacts().map((c) => emailKey(c.email)).filter((k): k is string => k !== null))];
  const db = await getDb();
  await db.insert(subscribers).values(keys.map((k) => ({ accountId, email: k, emailKey: k })));
  return keys;
}
