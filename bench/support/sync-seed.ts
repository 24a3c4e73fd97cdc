// Seeds a connected account for the sync bench: subscribers whose emails are those of seeded
// emulator contacts (bulk inserted), and mappings of four attributes of different types.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { intercomConnections, subscribers } from "@/db/schema";
import { seededContactEmail } from "@/emulators/intercom/seed-rules";
import { signUp } from "@/lib/accounts/sign-up";
import { encryptSecret } from "@/lib/crypto/encryption";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { emailKey } from "@/lib/matching/email";
import type { ChildEmulator, EmulatorWorkspace } from "./sync-emulator";

// text, number, boolean and date: every coercion path the sync has.
export const BENCH_MAPPINGS = [
  { intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } },
  { intercomAttribute: "custom_attributes.seats", newProperty: { name: "Seats" } },
  { intercomAttribute: "custom_attributes.is_vip", newProperty: { name: "VIP" } },
  { intercomAttribute: "custom_attributes.renewal_date", newProperty: { name: "Renewal date" } },
];

const INSERT_CHUNK = 2_000;

/** A fresh account connected to the emulator's workspace (the previous bench account let go of it). */
export async function createConnectedAccount(emulator: ChildEmulator, label: string) {
  const db = await getDb();
  const suffix = randomBytes(4).toString("hex");
  const { account } = await signUp({
    accountName: `${label} ${suffix}`,
    name: "Bench Admin",
    email: `bench-${suffix}@holdfast.test`,
    password: "correct horse battery staple",
  });
  const { workspace } = await emulator.control<{ workspace: EmulatorWorkspace }>("GET", "/state");
  const { token } = await emulator.control<{ token: string }>("POST", "/tokens");
  const [conn] = await db
    .insert(intercomConnections)
    .values({
      accountId: account.id,
      workspaceId: workspace.id,
      workspaceName: workspace.name,
      region: workspace.region,
      timezone: workspace.timezone,
      accessTokenEnc: encryptSecret(token),
    })
    .returning({ id: intercomConnections.id });
  if (!conn) throw new Error("connection insert returned nothing");
  const saved = await savePropertyMappings(account.id, BENCH_MAPPINGS);
  if (!saved.ok) throw new Error(`saving mappings failed: ${saved.error} ${JSON.stringify(saved.rowErrors)}`);
  return { accountId: account.id, connectionId: conn.id };
}

/** Frees the workspace for another bench account (one live connection per workspace). */
export async function disconnectAccount(connectionId: string) {
  const db = await getDb();
  await db.update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
}

/**
 * One subscriber per `step`-th seeded contact (n = offset, offset + step, ...), so every one has
 * exactly one contact with its email. Returns how many were inserted.
 */
export async function seedSubscribers(accountId: string, opts: { contacts: number; step: number; offset: number }): Promise<number> {
  const db = await getDb();
  let inserted = 0;
  let batch: Array<typeof subscribers.$inferInsert> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await db.insert(subscribers).values(batch);
    inserted += batch.length;
    batch = [];
  };
  for (let n = opts.offset; n <= opts.contacts; n += opts.step) {
    const email = seededContactEmail(n);
    const key = emailKey(email);
    if (!email || !key) continue;
    batch.push({ accountId, email, emailKey: key, name: `Subscriber ${n}`, plan: "pro", mrrCents: 4900 });
    if (batch.length >= INSERT_CHUNK) await flush();
  }
  await flush();
  return inserted;
}
