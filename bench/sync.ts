// npm run bench:sync [-- --contacts 100000,1000000 --db pglite|postgres|both --share 0.2
//   --changed 0.01 --lookup-subscribers 1000 --only full,floors,incremental,lookup --cpu-prof /tmp/prof]
// Inbound sync against its physical floors (bare page loop, one bulk insert), incremental cost
// after 1 % of contacts change, and the lookup strategy. Each (size, database) runs in a child
// process of its own, with the emulator in a grandchild, so peak RSS is the app's alone and
// sizes do not inherit each other's heap. Postgres: a fresh database per run on DATABASE_URL's
// server (default postgres://postgres@127.0.0.1:5432/postgres; the run creates and drops its own database there).
import { spawn } from "node:child_process";
import { readFlags, numberFlag } from "./support/args";
import { printTable } from "./support/table";
import type { SyncBenchConfig, SyncBenchResult } from "./support/sync-run";

const RESULT_MARK = "SYNC_BENCH_RESULT ";
const ALL_PHASES = ["full", "floors", "incremental", "lookup"];
const DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres";

const flags = readFlags(process.argv.slice(2));
const sizes = (flags.get("contacts") ?? "100000").split(",").map((s) => {
  const n = Number(s.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < 1000) throw new Error(`--contacts takes sizes of at least 1000, got ${s}`);
  return n;
});
const dbFlag = flags.get("db") ?? (process.env.DATABASE_URL ? "postgres" : "pglite");
if (!["pglite", "postgres", "both"].includes(dbFlag)) throw new Error(`--db must be pglite, postgres or both, got ${dbFlag}`);
const databases = (dbFlag === "both" ? ["pglite", "postgres"] : [dbFlag]) as Array<"pglite" | "postgres">;
const phases = (flags.get("only") ?? ALL_PHASES.join(",")).split(",");
for (const p of phases) if (!ALL_PHASES.includes(p)) throw new Error(`--only takes ${ALL_PHASES.join(", ")}; got ${p}`);
const share = numberFlag(flags, "share", 0.2);
const changedShare = numberFlag(flags, "changed", 0.01);
const lookupSubscribers = numberFlag(flags, "lookup-subscribers", 1000);
const postgresUrl = process.env.DATABASE_URL || DEFAULT_POSTGRES;

async function main() {
  if (flags.has("child")) {
    const { runSyncBench } = await import("./support/sync-run");
    const config: SyncBenchConfig = {
      contacts: sizes[0]!,
      database: databases[0]!,
      postgresUrl,
      share,
      changedShare,
      lookupSubscribers,
      phases: new Set(phases),
      emulatorProfileDir: flags.get("cpu-prof"),
    };
    const result = await runSyncBench(config);
    console.log(RESULT_MARK + JSON.stringify(result));
    return;
  }
  const results: SyncBenchResult[] = [];
  for (const database of databases) {
    for (const contacts of sizes) {
      console.log(`\n=== ${contacts.toLocaleString("en-US")} contacts on ${database} ===`);
      results.push(await runChild(contacts, database));
    }
  }
  printSummary(results);
}

function runChild(contacts: number, database: string): Promise<SyncBenchResult> {
  const profileDir = flags.get("cpu-prof");
  const args = [
    ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
    "--import",
    "tsx",
    "bench/sync.ts",
    "--child",
    "--contacts",
    String(contacts),
    "--db",
    database,
    "--share",
    String(share),
    "--changed",
    String(changedShare),
    "--lookup-subscribers",
    String(lookupSubscribers),
    "--only",
    phases.join(","),
    ...(profileDir ? ["--cpu-prof", profileDir] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
    let result: SyncBenchResult | undefined;
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith(RESULT_MARK)) result = JSON.parse(line.slice(RESULT_MARK.length)) as SyncBenchResult;
        else console.log(line);
      }
    });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 && result ? resolve(result) : reject(new Error(`bench run (${contacts}, ${database}) exited with ${code}`))));
  });
}

/** Across sizes: peak RSS growth and time per contact, the figures no single run can give. */
function printSummary(results: SyncBenchResult[]) {
  const rows: Array<[string, string | number]> = [];
  for (const r of results) {
    const f = r.full;
    if (!f) continue;
    const floor = Math.max(f.readFloor?.ms ?? 0, f.writeFloor?.ms ?? 0);
    const key = `${r.database} ${r.contacts.toLocaleString("en-US")}`;
    rows.push([`${key}: full sync / floor`, `${(f.ms / 1000).toFixed(1)} s / ${(floor / 1000).toFixed(1)} s = ${floor ? (f.ms / floor).toFixed(2) : "-"}x`]);
    rows.push([`${key}: peak RSS`, `${(f.memory.peakRss / 1024 / 1024).toFixed(0)} MB`]);
    if (r.incremental) rows.push([`${key}: incremental calls`, `${r.incremental.apiCalls} for ${r.incremental.changed} changed (${r.incremental.window} in window)`]);
    if (r.lookup) rows.push([`${key}: lookup calls`, `${r.lookup.apiCalls} (${r.lookup.strategy}) in ${(r.lookup.ms / 1000).toFixed(2)} s`]);
  }
  for (const database of new Set(results.map((r) => r.database))) {
    const runs = results.filter((r) => r.database === database && r.full).sort((a, b) => a.contacts - b.contacts);
    const small = runs[0];
    const large = runs[runs.length - 1];
    if (!small?.full || !large?.full || small === large) continue;
    rows.push([
      `${database}: peak RSS ${large.contacts.toLocaleString("en-US")} / ${small.contacts.toLocaleString("en-US")} (target <= 1.2)`,
      `${(large.full.memory.peakRss / small.full.memory.peakRss).toFixed(2)}x`,
    ]);
  }
  if (rows.length > 0) printTable("\nSummary", rows);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
