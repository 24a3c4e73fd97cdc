// One bench run (one workspace size, one database): seed, floors, full sync, incremental sync,
// lookup strategy. Prints a table per phase and returns the figures.
import { measureHttpTime } from "./sync-http-time";
import { sampleMemory, type MemoryPeak } from "./sync-memory";
import { startChildEmulator } from "./sync-emulator";
import { prepareBenchDatabase } from "./bench-database";
import { applyBenchEnv } from "./bench-env";
import { printTable } from "./table";

export interface SyncBenchConfig {
  contacts: number;
  database: "pglite" | "postgres";
  postgresUrl: string;
  /** Share of contacts with a subscriber in the main account. */
  share: number;
  changedShare: number;
  lookupSubscribers: number;
  phases: Set<string>;
  /** Where the emulator writes its V8 CPU profile (the app's is set on the child's command line). */
  emulatorProfileDir?: string;
}

export interface SyncBenchResult {
  contacts: number;
  database: string;
  subscribers: number;
  full?: {
    ms: number;
    contactsRead: number;
    apiCalls: number;
    emulatorCalls: number;
    pages: number;
    matched: number;
    valuesUpdated: number;
    memory: MemoryPeak;
    /** Of the wall time, how long a request to the emulator was in flight. */
    httpMs: number;
    emulatorRss: number;
    autoStrategy: string;
    readFloor?: { pages: number; ms: number };
    writeFloor?: { rows: number; ms: number };
  };
  incremental?: { changed: number; window: number; apiCalls: number; ms: number; valuesUpdated: number; strategy: string; status: string };
  lookup?: { subscribers: number; strategy: string; apiCalls: number; ms: number; matched: number; valuesUpdated: number; status: string };
  tables: string[];
}

// High enough that the emulator never throttles: the floors measure serving, not Intercom's limit
// (reported separately as a third, theoretical floor).
const UNTHROTTLED_RATE = 100_000_000;
const INTERCOM_REQUESTS_PER_SECOND = 10_000 / 60;
const MB = 1024 * 1024;

export async function runSyncBench(cfg: SyncBenchConfig): Promise<SyncBenchResult> {
  const emulator = await startChildEmulator({
    contacts: cfg.contacts,
    rate: UNTHROTTLED_RATE,
    nodeArgs: cfg.emulatorProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cfg.emulatorProfileDir}`] : [],
  });
  const database = await prepareBenchDatabase(cfg.database === "postgres" ? cfg.postgresUrl : undefined).catch(async (err: unknown) => {
    await emulator.stop();
    throw err;
  });
  applyBenchEnv({ ...database.env, INTERCOM_API_URL: emulator.url, INTERCOM_APP_URL: emulator.url, SYNC_TIME_BUDGET_MS: String(24 * 3600_000) });
  const { resetEnvCache } = await import("@/lib/env");
  resetEnvCache();
  const { closeDb } = await import("@/db/client");
  try {
    return await runPhases(cfg, emulator);
  } finally {
    await closeDb();
    await database.dispose();
    await emulator.stop();
  }

  async function runPhases(cfg: SyncBenchConfig, emu: typeof emulator): Promise<SyncBenchResult> {
    const { getDb } = await import("@/db/client");
    const { runIntercomSync } = await import("@/lib/sync/run-intercom-sync");
    const { chooseStrategy } = await import("@/lib/sync/choose-strategy");
    const { createConnectedAccount, disconnectAccount, seedSubscribers } = await import("./sync-seed");
    const { measureReadFloor, measureWriteFloor } = await import("./sync-floors");
    await getDb();
    const tables: string[] = [];
    const label = `${cfg.contacts.toLocaleString("en-US")} contacts, ${cfg.database}`;

    const seedStart = performance.now();
    const main = await createConnectedAccount(emu, "Sync bench");
    const step = Math.round(1 / cfg.share);
    const subscriberCount = await seedSubscribers(main.accountId, { contacts: cfg.contacts, step, offset: 2 });
    const seedMs = performance.now() - seedStart;
    const emulatorIdleRss = emu.rss();
    const result: SyncBenchResult = { contacts: cfg.contacts, database: cfg.database, subscribers: subscriberCount, tables };
    tables.push(
      printTable(`Setup (${label})`, [
        ["emulator start (child process)", `${(emu.startMs / 1000).toFixed(1)} s`],
        ["emulator RSS (child, idle)", `${(emulatorIdleRss / MB).toFixed(0)} MB`],
        ["subscribers (every 5th contact)", subscriberCount],
        ["mappings", "4 (text, number, boolean, date)"],
        ["seed time", `${(seedMs / 1000).toFixed(1)} s`],
      ]),
    );

    if (cfg.phases.has("full")) {
      const { token } = await emu.control<{ token: string }>("POST", "/tokens");
      const readFloor = cfg.phases.has("floors") ? await measureReadFloor(emu.url, token) : undefined;
      await emu.control("DELETE", "/requests");
      const memory = sampleMemory();
      const http = measureHttpTime();
      const started = performance.now();
      // Forced scan: this is the whole-workspace read the floors describe ("auto" might look up).
      const outcome = await runIntercomSync({ accountId: main.accountId, trigger: "manual", mode: "full", strategy: "scan" });
      const ms = performance.now() - started;
      const mem = memory.stop();
      const httpTime = http.stop();
      if (outcome.status !== "succeeded") throw new Error(`full sync ${outcome.status}: ${outcome.message}`);
      const emulatorCalls = (await emu.control<{ requests: unknown[] }>("GET", "/requests")).requests.length;
      const writeFloor = cfg.phases.has("floors") ? await measureWriteFloor(main.accountId) : undefined;
      const auto = chooseStrategy({ contacts: cfg.contacts - 1, subscribers: subscriberCount });
      const floorMs = Math.max(readFloor?.ms ?? 0, writeFloor?.ms ?? 0);
      result.full = {
        ms,
        contactsRead: outcome.counts.contactsRead,
        apiCalls: outcome.counts.apiCalls,
        emulatorCalls,
        pages: outcome.counts.pagesRead,
        matched: outcome.counts.contactsMatched,
        valuesUpdated: outcome.counts.valuesUpdated,
        memory: mem,
        httpMs: httpTime.ms,
        emulatorRss: emu.rss(),
        autoStrategy: `${auto.strategy} (scan ${auto.scanCalls} calls, lookup ${auto.lookupCalls})`,
        readFloor: readFloor && { pages: readFloor.pages, ms: readFloor.ms },
        writeFloor: writeFloor && { rows: writeFloor.rows, ms: writeFloor.ms },
      };
      const rows: Array<[string, string | number]> = [
        ["full sync wall time", seconds(ms)],
        ["contacts read", outcome.counts.contactsRead],
        ["contacts/s", Math.round(outcome.counts.contactsRead / (ms / 1000))],
        ["API calls (client / emulator log)", `${outcome.counts.apiCalls} / ${emulatorCalls}`],
        ["pages", outcome.counts.pagesRead],
        // With read-ahead a request is in flight while the previous page is applied: the two overlap.
        ["time with a request in flight (overlaps applying)", `${seconds(httpTime.ms)} (${httpTime.requests} requests)`],
        ["per page: wall / request in flight", `${(ms / outcome.counts.pagesRead).toFixed(1)} ms / ${(httpTime.ms / outcome.counts.pagesRead).toFixed(1)} ms`],
        ["subscribers matched", outcome.counts.contactsMatched],
        ["values written", outcome.counts.valuesUpdated],
        ["app RSS before / peak", `${mb(mem.baselineRss)} / ${mb(mem.peakRss)}`],
        ["app peak heap used", mb(mem.peakHeapUsed)],
        ["emulator RSS (child) after", mb(result.full.emulatorRss)],
        ["auto strategy would pick", result.full.autoStrategy],
      ];
      if (readFloor) rows.push(["floor 1: bare page loop", `${seconds(readFloor.ms)} (${readFloor.pages} pages, ${(readFloor.ms / readFloor.pages).toFixed(1)} ms/page)`]);
      if (writeFloor) rows.push(["floor 2: bulk insert of the rows", `${seconds(writeFloor.ms)} (${writeFloor.rows} rows, ${writeFloor.chunk}/INSERT, 1 tx)`]);
      if (floorMs > 0) rows.push(["full sync / max(floors) (target <= 1.5)", `${(ms / floorMs).toFixed(2)}x`]);
      rows.push(["Intercom rate floor (10,000 req/min)", seconds((outcome.counts.apiCalls / INTERCOM_REQUESTS_PER_SECOND) * 1000)]);
      tables.push(printTable(`Full sync, scan (${label})`, rows));
    }

    if (cfg.phases.has("incremental") && cfg.phases.has("full")) {
      const activity = await emu.control<{ changed: number }>("POST", "/activity", { share: cfg.changedShare });
      const started = performance.now();
      const outcome = await runIntercomSync({ accountId: main.accountId, trigger: "manual" });
      const ms = performance.now() - started;
      if (outcome.status !== "succeeded") throw new Error(`incremental sync ${outcome.status}: ${outcome.message}`);
      const window = outcome.estimatedTotal ?? outcome.counts.contactsRead;
      result.incremental = {
        changed: activity.changed,
        window,
        apiCalls: outcome.counts.apiCalls,
        ms,
        valuesUpdated: outcome.counts.valuesUpdated,
        strategy: outcome.strategy,
        status: outcome.status,
      };
      const needed = Math.ceil(activity.changed / 150);
      const neededWithOverlap = Math.ceil(window / 150);
      tables.push(
        printTable(`Incremental sync after ${(cfg.changedShare * 100).toFixed(0)} % changed (${label})`, [
          ["contacts changed", activity.changed],
          ["window read (changed + day overlap)", `${window} (overlap ${window - activity.changed})`],
          ["strategy / mode", `${outcome.strategy} / ${outcome.mode}`],
          ["API calls", outcome.counts.apiCalls],
          ["pages the changes need", needed],
          ["pages changes + day overlap need", neededWithOverlap],
          ["calls / needed incl. overlap (target <= 1.2)", `${(outcome.counts.apiCalls / Math.max(1, neededWithOverlap)).toFixed(2)}x`],
          ["calls / full-scan pages", `${(outcome.counts.apiCalls / Math.ceil(cfg.contacts / 150)).toFixed(3)}`],
          ["values updated", outcome.counts.valuesUpdated],
          ["time", seconds(ms)],
        ]),
      );
    }

    if (cfg.phases.has("lookup")) {
      // One live connection per workspace: the main account lets go of it first.
      await disconnectAccount(main.connectionId);
      const small = await createConnectedAccount(emu, "Lookup bench");
      const step = Math.max(1, Math.floor(cfg.contacts / cfg.lookupSubscribers));
      const count = await seedSubscribers(small.accountId, { contacts: cfg.contacts, step, offset: 3 });
      const started = performance.now();
      const outcome = await runIntercomSync({ accountId: small.accountId, trigger: "manual" });
      const ms = performance.now() - started;
      if (outcome.status !== "succeeded") throw new Error(`lookup sync ${outcome.status}: ${outcome.message}`);
      result.lookup = {
        subscribers: count,
        strategy: outcome.strategy,
        apiCalls: outcome.counts.apiCalls,
        ms,
        matched: outcome.counts.contactsMatched,
        valuesUpdated: outcome.counts.valuesUpdated,
        status: outcome.status,
      };
      tables.push(
        printTable(`Lookup strategy, ${count} subscribers (${label})`, [
          ["strategy picked (auto)", outcome.strategy],
          ["API calls", outcome.counts.apiCalls],
          ["full-scan pages it avoided", Math.ceil(cfg.contacts / 150)],
          ["subscribers matched", outcome.counts.contactsMatched],
          ["values written", outcome.counts.valuesUpdated],
          ["time", seconds(ms)],
        ]),
      );
    }
    return result;
  }
}

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(2)} s`;
}

function mb(bytes: number) {
  return `${(bytes / MB).toFixed(0)} MB`;
}
