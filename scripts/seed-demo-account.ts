import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { accounts, admins, subscribers } from "@/db/schema";
import { signUp } from "@/lib/accounts/sign-up";
import { decryptSecret } from "@/lib/crypto/encryption";
import { emailKey } from "@/lib/matching/email";
import { seededContactEmail } from "@/emulators/intercom/seed-rules";

export const DEMO_ADMIN = { email: "demo@holdfast.dev", password: "holdfast-demo", name: "Dana Demo" };

const PLANS = [
  { plan: "Starter", mrrCents: 1900 },
  { plan: "Pro", mrrCents: 4900 },
  { plan: "Business", mrrCents: 14900 },
];

/**
 * The demo account: an admin, the starter flow and subscribers whose emails line up with the
 * emulator's seeded contacts (plus a few who are not in Intercom). Safe to run on every start.
 */
export async function seedDemoAccount(subscriberCount = 400) {
  const db = await getDb();
  let admin = await db.query.admins.findFirst({ where: eq(admins.email, DEMO_ADMIN.email) });
  if (!admin) {
    ({ admin } = await signUp({ accountName: "Acme Notes", name: DEMO_ADMIN.name, email: DEMO_ADMIN.email, password: DEMO_ADMIN.password }));
  }
  const account = await db.query.accounts.findFirst({ where: eq(accounts.id, admin.accountId) });
  if (!account) throw new Error("demo account vanished");

  const rows = [];
  for (let n = 1; n <= subscriberCount; n++) {
    const email = seededContactEmail(n);
    if (!email) continue;
    const plan = PLANS[n % PLANS.length]!;
    rows.push({ email, name: `Customer ${n}`, externalId: `user-${n}`, ...plan, subscribedAt: new Date(Date.UTC(2025, n % 12, 1 + (n % 27))) });
  }
  for (let n = 1; n <= 8; n++) {
    rows.push({ email: `new.customer${n}@example.org`, name: `New Customer ${n}`, externalId: null, ...PLANS[0]!, subscribedAt: new Date() });
  }
  const values = rows.flatMap((r) => {
    const key = emailKey(r.email);
    return key ? [{ accountId: account.id, emailKey: key, status: "active", ...r }] : [];
  });
  // The shared lead+user address lands once: one subscriber, two candidate contacts.
  const unique = [...new Map(values.map((v) => [v.emailKey, v])).values()];
  await db.insert(subscribers).values(unique).onConflictDoNothing();

  return {
    accountId: account.id,
    publicKey: account.publicKey,
    widgetSecret: decryptSecret(account.widgetSecretEnc),
    sampleSubscribers: unique.slice(0, 6).map((s) => ({ email: s.email, name: s.name, externalId: s.externalId })),
  };
}
