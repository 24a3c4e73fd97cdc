// npm run bench:webhooks [-- --count 10000 --contacts 3000 --subscribers 500 --calls 1000]
// 1. The emulator's webhook burst (`count` signed contact.user.updated notifications, 16 in flight)
//    delivered over HTTP to POST /api/webhooks/intercom (the route handler in this process):
//    handler response time p50/p99, every notification stored and applied.
// 2. What the shared per-workspace rate budget costs per Intercom call, against a client pacing
//    itself in memory. Uses a fresh PGlite folder, or a fresh database on DATABASE_URL's server.
import { cpus, loadavg, totalmem } from "node:os";
import { readFlags, numberFlag } from "./support/args";
import { applyBenchEnv, BENCH_ENV } from "./support/bench-env";
import { prepareBenchDatabase } from "./support/bench-database";
import { printTable } from "./support/table";

const flags = readFlags(process.argv.slice(2));
const count = numberFlag(flags, "count", 10_000);
const contactCount = numberFlag(flags, "contacts", 3_000);
const subscriberCount = numberFlag(flags, "subscribers", 500);
const calls = numberFlag(flags, "calls", 1_000);

async function main() {
  const database = await prepareBenchDatabase(process.env.DATABASE_URL || undefined);
  applyBenchEnv({ ...database.env, NODE_ENV: "test" });
  const { startIntercomEmulator, seededContactEmail } = await import("@/emulators/intercom/server");
  // It signs the burst with the secret the route checks.
  const emulator = await startIntercomEmulator({
    contactCount,
    rateLimitPerWindow: 10_000_000,
    workspace: { id: `ws_bench_${process.pid}` },
    clientSecret: BENCH_ENV.INTERCOM_CLIENT_SECRET,
  });
  process.env.INTERCOM_API_URL = emulator.url;
  process.env.INTERCOM_APP_URL = emulator.url;
  const { getDb, getDbHandle, closeDb } = await import("@/db/client");
  const { startHandlerServer, percentile } = await import("../tests/support/webhook-receiver");
  let receiver: Awaited<ReturnType<typeof startHandlerServer>> | undefined;
  try {
    const { and, eq, inArray, sql } = await import("drizzle-orm");
    const { subscribers, subscriberPropertyValues, webhookEvents } = await import("@/db/schema");
    const { createTestAccount, connectAccountToEmulator } = await import("../tests/support/fixtures");
    const { savePropertyMappings } = await import("@/lib/mappings/property-mappings");
    const { emailKey } = await import("@/lib/matching/email");
    const { POST } = await import("@/app/api/webhooks/intercom/route");
    const { scheduleWebhookProcessing } = await import("@/lib/webhooks/process-webhook-events");
    const { createIntercomClient } = await import("@/lib/intercom/client");
    const { clientForConnection } = await import("@/lib/connections/intercom-connection");

    const db = await getDb();
    const kind = (await getDbHandle()).kind;
    const { account } = await createTestAccount("Bench webhooks");
    const conn = await connectAccountToEmulator(account.id, emulator);
    const saved = await savePropertyMappings(account.id, [
      { intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } },
      { intercomAttribute: "custom_attributes.seats", newProperty: { name: "Seats" } },
    ]);
    if (!saved.ok) throw new Error(saved.error);
    const emails = [];
    for (let n = 2; emails.length < subscriberCount && n <= contactCount; n++) {
      const email = seededContactEmail(n);
      if (email && n % 5 !== 0) emails.push(email);
    }
    const subs = await db
      .insert(subscribers)
      .values(emails.map((email) => ({ accountId: account.id, email, emailKey: emailKey(email)! })))
      .returning({ id: subscribers.id });

    // --- 1. burst ---
    receiver = await startHandlerServer(POST);
    emulator.webhooks.setUrl(receiver.url);
    const started = performance.now();
    const queued = emulator.webhooks.burst(count);
    await emulator.webhooks.idle();
    const answeredMs = performance.now() - started;
    await scheduleWebhookProcessing();
    const appliedMs = performance.now() - started;
    const deliveries = emulator.webhookDeliveries.slice(-queued);
    const delivered = deliveries.filter((d) => d.status === "delivered").length;
    const statuses = await db
      .select({ status: webhookEvents.status, n: sql<number>`count(*)::int` })
      .from(webhookEvents)
      .where(eq(webhookEvents.accountId, account.id))
      .groupBy(webhookEvents.status);
    const byStatus = Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]));
    const [linked] = await db
      .select({ n: sql<number>`count(distinct ${subscriberPropertyValues.subscriberId})::int` })
      .from(subscriberPropertyValues)
      .where(and(eq(subscriberPropertyValues.accountId, account.id), inArray(subscriberPropertyValues.subscriberId, subs.map((s) => s.id))));
    const d = receiver.durationsMs;
    printTable(`Webhook burst on ${kind}: ${queued} notifications, ${subs.length} subscribers, ${contactCount} contacts`, [
      ["delivered (2xx) / sent", `${delivered} / ${queued}`],
      ["stored events", Object.values(byStatus).reduce((a, b) => a + b, 0)],
      ["processed / ignored / other", `${byStatus.processed ?? 0} / ${byStatus.ignored ?? 0} / ${queued - (byStatus.processed ?? 0) - (byStatus.ignored ?? 0)}`],
      ["subscribers with synced values", Number(linked?.n ?? 0)],
      ["handler p50 (ms)", percentile(d, 50).toFixed(1)],
      ["handler p99 (ms)", percentile(d, 99).toFixed(1)],
      ["handler max (ms)", Math.max(...d).toFixed(1)],
      ["all answered (s)", (answeredMs / 1000).toFixed(1)],
      ["all applied (s)", (appliedMs / 1000).toFixed(1)],
    ]);

    // --- 2. rate budget overhead ---
    const time = async (client: ReturnType<typeof createIntercomClient>) => {
      await client.me();
      const t = performance.now();
      for (let i = 0; i < calls; i++) await client.me();
      return (performance.now() - t) / calls;
    };
    // Interleaved rounds, median of each: the box is shared and noisy.
    const localClient = createIntercomClient({ token: emulator.issueToken() });
    const sharedClient = clientForConnection(conn);
    const rounds: { local: number[]; shared: number[] } = { local: [], shared: [] };
    for (let r = 0; r < 5; r++) {
      rounds.local.push(await time(localClient));
      rounds.shared.push(await time(sharedClient));
    }
    const local = percentile(rounds.local, 50);
    const shared = percentile(rounds.shared, 50);
    printTable(`Rate budget on ${kind}: 5 x ${calls} sequential GET /me, median`, [
      ["client pacing itself (ms/call)", local.toFixed(2)],
      ["shared workspace budget (ms/call)", shared.toFixed(2)],
      ["overhead (ms/call)", (shared - local).toFixed(2)],
    ]);
    console.log(
      `Machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}, node ${process.version}, ${new Date().toISOString()}`,
    );
  } finally {
    await receiver?.close();
    await emulator.close();
    await closeDb();
    await database.dispose();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
