// npm run bench:sync [-- --contacts 100000,1000000 --db pglite|postgres|both --share 0.2
//   --changed 0.01 --lookup-subscribers 1000 --only full,floors,incremental,lookup --repeat 3
//   --cpu-prof /tmp/prof]
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
const repeat = numberFlag(flags, "repeat", 1);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat takes a whole number of runs, got ${repeat}`);

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
  // Repeats go round every (database, size) in turn: a slow spell of a shared machine then
  // lands on all of them, not on one configuration's runs.
  const results: SyncBenchResult[] = [];
  for (let run = 1; run <= repeat; run++) {
    for (const database of databases) {
      for (const contacts of sizes) {
        console.log(`\n=== ${contacts.toLocaleString("en-US")} contacts on ${database}${repeat > 1 ? `, run ${run} of ${repeat}` : ""} ===`);
        results.push(await runChild(contacts, database));
      }
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

/**
 * Across runs and sizes: each configuration's full sync against its floors (every run, and the
 * median when repeated), peak RSS growth, the figures no single run can give.
 */
function printSummary(results: SyncBenchResult[]) {
  const rows: Array<[string, string | number]> = [];
  const peakRss = new Map<string, number>();
  for (const database of databases) {
    for (const contacts of sizes) {
      const runs = results.filter((r) => r.database === database && r.contacts === contacts);
      const key = `${database} ${contacts.toLocaleString("en-US")}`;
      const full = runs.flatMap((r) => (r.full ? [r.full] : []));
      if (full.length > 0) {
        const floors = full.map((f) => Math.max(f.readFloor?.ms ?? 0, f.writeFloor?.ms ?? 0));
        const ratios = full.map((f, i) => f.ms / floors[i]!);
        const each = full.map((f, i) => `${(f.ms / 1000).toFixed(1)} s / ${(floors[i]! / 1000).toFixed(1)} s = ${fixed(ratios[i]!)}x`);
        rows.push([`${key}: full sync / floor`, full.length > 1 ? `median ${fixed(median(ratios))}x (${each.join(", ")})` : each[0]!]);
        // The highest of the runs: the memory target is a bound, not a typical figure.
        const peak = Math.max(...full.map((f) => f.memory.peakRss));
        peakRss.set(key, peak);
        rows.push([`${key}: peak RSS`, `${(peak / 1024 / 1024).toFixed(0)} MB`]);
      }
      const { incremental, lookup } = runs[0] ?? {};
      if (incremental) rows.push([`${key}: incremental calls`, `${incremental.apiCalls} for ${incremental.changed} changed (${incremental.window} in window)`]);
      if (lookup) rows.push([`${key}: lookup calls`, `${lookup.apiCalls} (${lookup.strategy}) in ${(lookup.ms / 1000).toFixed(2)} s`]);
    }
    const small = peakRss.get(`${database} ${Math.min(...sizes).toLocaleString("en-US")}`);
    const large = peakRss.get(`${database} ${Math.max(...sizes).toLocaleString("en-US")}`);
    if (small && large && sizes.length > 1) {
      rows.push([
        `${database}: peak RSS ${Math.max(...sizes).toLocaleString("en-US")} / ${Math.min(...sizes).toLocaleString("en-US")} (target <= 1.2)`,
        `${(large / small).toFixed(2)}x`,
      ]);
    }
  }
  if (rows.length > 0) printTable("\nSummary", rows);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fixed = (ratio: number) => (Number.isFinite(ratio) ? ratio.toFixed(2) : "-");

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
