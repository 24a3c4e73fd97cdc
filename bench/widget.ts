// npm run bench:widget [-- --duration 30 --connections 200 --sessions 10000 --build --cpu-prof /tmp/prof]
// Load test of the widget's answer endpoint on `next start`, against the Intercom emulator
// answering 429 to a quarter of contact writes; then the cron drains the outbox once Intercom
// recovers. Uses a fresh PGlite folder, or a fresh database on DATABASE_URL's server when set.
import { cpus, loadavg, totalmem } from "node:os";
import autocannon from "autocannon";
import { readFlags, numberFlag } from "./support/args";
import { applyBenchEnv, BENCH_ENV } from "./support/bench-env";
import { prepareBenchDatabase } from "./support/bench-database";
import { freePort } from "./support/free-port";
import { ensureBuild, startNextServer, type NextServer } from "./support/next-server";
import { printTable } from "./support/table";
import type { AnswerSlot } from "./support/seed-widget-load";

const flags = readFlags(process.argv.slice(2));
const duration = numberFlag(flags, "duration", 30);
const connections = numberFlag(flags, "connections", 200);
const sessionCount = numberFlag(flags, "sessions", 10_000);
const drainTimeoutMs = numberFlag(flags, "drain-timeout", 300) * 1000;
// --cpu-prof <dir>: V8 CPU profiles of the server (load phase and drain phase) for finding the hot path.
const profileDir = flags.get("cpu-prof");
const nodeArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
const WARMUP_SECONDS = 3;
const FAULT = { status: 429 as const, rate: 0.25, match: { method: "PUT", pathPrefix: "/contacts/" } };

async function main() {
  const database = await prepareBenchDatabase(process.env.DATABASE_URL || undefined);
  const started: { server?: NextServer; closeEmulator?: () => Promise<void> } = {};
  try {
    await runBench(database.kind, database.env, started);
  } finally {
    await started.server?.stop();
    const { closeDb } = await import("@/db/client");
    await closeDb();
    await database.dispose();
    // Last, and bounded: a socket the emulator still waits on must not keep the folder or the run alive.
    await Promise.race([started.closeEmulator?.(), new Promise((r) => setTimeout(r, 5000))]);
  }
}

async function runBench(kind: string, dbEnv: Record<string, string>, started: { server?: NextServer; closeEmulator?: () => Promise<void> }) {
  const { startIntercomEmulator } = await import("@/emulators/intercom/server");
  // The emulator's own rate limit is lifted so the injected 429s are the only ones.
  const emulator = await startIntercomEmulator({
    contactCount: 0,
    rateLimitPerWindow: 10_000_000,
    workspace: { id: `ws_bench_${process.pid}` },
  });
  started.closeEmulator = () => emulator.close();
  const serverEnv = { ...BENCH_ENV, ...dbEnv, INTERCOM_API_URL: emulator.url, INTERCOM_APP_URL: emulator.url };
  applyBenchEnv({ ...dbEnv, INTERCOM_API_URL: emulator.url, INTERCOM_APP_URL: emulator.url, APP_URL: "http://127.0.0.1:3000" });
  await ensureBuild(flags.has("build"), serverEnv);

  const { closeDb } = await import("@/db/client");
  const { seedWidgetLoad } = await import("./support/seed-widget-load");
  const { countWidgetRows } = await import("./support/count-widget-rows");
  const seedStart = Date.now();
  const seeded = await seedWidgetLoad({ emulator, sessions: sessionCount });
  // PGlite is single-process: the server can only open the folder once we let go of it.
  await closeDb();
  console.log(`Seeded ${sessionCount} sessions (${seeded.slots.length} answer slots) on ${kind} in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

  const port = await freePort();
  started.server = await startNextServer({ port, env: serverEnv, nodeArgs });
  emulator.faults.inject(FAULT);

  const statuses = new Uint16Array(seeded.slots.length);
  let next = 0;
  let exhausted = false;
  const drive = (seconds: number, conns: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: started.server!.url,
          connections: conns,
          duration: seconds,
          timeout: 10,
          requests: [
            {
              method: "POST",
              headers: { "content-type": "application/json", origin: "https://shop.example" },
              setupRequest: (req, context: { slot?: number }) => {
                const n = next++;
                if (n >= seeded.slots.length) {
                  exhausted = true;
                  instance.stop();
                }
                const slot = seeded.slots[Math.min(n, seeded.slots.length - 1)]!;
                context.slot = n;
                return { ...req, path: slot.path, body: slot.body };
              },
              onResponse: (status, _body, context: { slot?: number }) => {
                if (context.slot !== undefined && context.slot < statuses.length) statuses[context.slot] = status;
              },
            },
          ],
        },
        (err, result) => (err ? reject(err) : resolve(result)),
      );
    });

  console.log(`Warming up for ${WARMUP_SECONDS} s...`);
  await drive(WARMUP_SECONDS, Math.min(20, connections));
  const loadFrom = next;
  const loadAtStart = loadavg()[0]!.toFixed(1);
  console.log(`Driving POST /api/widget/sessions/{id}/answers: ${connections} connections for ${duration} s...`);
  const result = await drive(duration, connections);
  const sentSlots = Math.min(next, seeded.slots.length);

  // The after-response delivery attempts finish before the server is stopped for counting.
  await settle(() => emulator.requests.length);
  await started.server.stop();
  started.server = undefined;
  const sent = tally(statuses, 0, sentSlots);
  const loadOnly = tally(statuses, loadFrom, sentSlots);
  const afterLoad = await countWidgetRows(seeded.accountId);
  await closeDb();
  const putsDuringLoad = emulator.requests.filter((r) => r.method === "PUT").length;
  const limitedDuringLoad = emulator.requests.filter((r) => r.method === "PUT" && r.status === 429).length;

  // Intercom recovers; the cron tick (sync, then the outbox) runs until every value is there.
  emulator.faults.clear();
  started.server = await startNextServer({ port, env: serverEnv, nodeArgs });
  const delivered = (slot: AnswerSlot) => emulator.store.peekContact(slot.contactId)?.contact.custom_attributes[slot.attribute] === slot.value;
  const expected = seeded.slots.slice(0, sentSlots).filter((_, i) => statuses[i]! >= 200 && statuses[i]! < 300);
  const drainStart = Date.now();
  let ticks = 0;
  let missing = expected.filter((s) => !delivered(s));
  while (missing.length > 0 && Date.now() - drainStart < drainTimeoutMs) {
    const res = await fetch(`${started.server.url}/api/cron/intercom-sync`, { headers: { authorization: `Bearer ${BENCH_ENV.CRON_SECRET}` } });
    ticks++;
    if (!res.ok) throw new Error(`cron tick answered ${res.status}: ${await res.text()}`);
    missing = missing.filter((s) => !delivered(s));
    if (missing.length > 0) await new Promise((r) => setTimeout(r, 1000));
  }
  const drainMs = Date.now() - drainStart;
  await started.server.stop();
  started.server = undefined;
  const afterDrain = await countWidgetRows(seeded.accountId);
  await closeDb();

  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const rows: Array<[string, string | number]> = [
    ["database", kind],
    ["machine", `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}`],
    ["load average at start / end", `${loadAtStart} / ${loadavg()[0]!.toFixed(1)}`],
    ["connections x duration", `${connections} x ${duration} s`],
    ["latency p50", ms(result.latency.p50)],
    ["latency p90", ms(result.latency.p90)],
    ["latency p99", ms(result.latency.p99)],
    ["latency max", ms(result.latency.max)],
    ["requests/s (mean)", result.requests.average.toFixed(0)],
    ["requests (load phase)", result.requests.total],
    ["non-2xx (load phase)", result.non2xx],
    ["errors / timeouts (load phase)", `${result.errors} / ${result.timeouts}`],
    ["answers sent: 2xx (warm-up + load)", sent.ok],
    ["answers without a response", sent.none],
    ["answers stored (database)", afterLoad.answers],
    ["Intercom PUTs during load / 429ed", `${putsDuringLoad} / ${limitedDuringLoad}`],
    ["deliveries after load: delivered", afterLoad.deliveries.delivered ?? 0],
    ["deliveries after load: pending+unknown", (afterLoad.deliveries.pending ?? 0) + (afterLoad.deliveries.unknown ?? 0)],
    ["deliveries after load: other states", otherStates(afterLoad.deliveries)],
    ["drain: cron ticks / time", `${ticks} / ${(drainMs / 1000).toFixed(1)} s`],
    ["deliveries after drain: delivered", afterDrain.deliveries.delivered ?? 0],
    ["deliveries after drain: not delivered", afterDrain.deliveryTotal - (afterDrain.deliveries.delivered ?? 0)],
    ["values on Intercom contacts = sent", `${expected.length - missing.length} / ${expected.length}`],
    ["answers stored = answers sent", storedVersusSent(afterLoad.answers, sent)],
    ["delivered = answers stored", (afterDrain.deliveries.delivered ?? 0) === afterDrain.answers ? "yes" : "NO"],
  ];
  if (exhausted) rows.push(["WARNING", "ran out of seeded answer slots: raise --sessions"]);
  if (loadOnly.other > 0) rows.push(["WARNING", `${loadOnly.other} answers got a non-2xx status`]);
  printTable(`bench:widget (${new Date().toISOString()})`, rows);
  if (missing.length > 0 || afterLoad.answers < sent.ok) process.exitCode = 1;
}

/** 2xx / other status / no response over slots [from, to). */
function tally(statuses: Uint16Array, from: number, to: number) {
  let ok = 0;
  let other = 0;
  let none = 0;
  for (let i = from; i < to; i++) {
    const s = statuses[i]!;
    if (s === 0) none++;
    else if (s < 300) ok++;
    else other++;
  }
  return { ok, other, none };
}

/** A request cut off by the client's timeout may or may not have been stored: the only slack allowed. */
function storedVersusSent(stored: number, sent: { ok: number; none: number }): string {
  if (stored === sent.ok) return "yes";
  if (stored > sent.ok && stored - sent.ok <= sent.none) return `yes (+${stored - sent.ok} of ${sent.none} cut-off requests)`;
  return `NO (stored ${stored}, sent ${sent.ok})`;
}

function otherStates(deliveries: Record<string, number>): string {
  const rest = Object.entries(deliveries).filter(([s]) => !["delivered", "pending", "unknown"].includes(s));
  return rest.length ? rest.map(([s, n]) => `${s} ${n}`).join(", ") : "0";
}

/** Waits until a counter has not moved for 3 s (at most 120 s). */
async function settle(read: () => number) {
  const deadline = Date.now() + 120_000;
  let last = read();
  let stableSince = Date.now();
  while (Date.now() < deadline && Date.now() - stableSince < 3000) {
    await new Promise((r) => setTimeout(r, 250));
    const now = read();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  // Keep-alive sockets and timers of the libraries used must not keep the bench alive.
  .finally(() => process.exit());
