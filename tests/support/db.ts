import { afterAll, beforeAll } from "vitest";
import { closeDb, getDb, type Db } from "@/db/client";
import { resetEnvCache } from "@/lib/env";

/**
 * One database per test file: in-memory PGlite, or the shared Postgres when DATABASE_URL is set
 * (tests create their own accounts, so they never depend on an empty database).
 *
 * `isolated`: for tests of code that sweeps every tenant (the cron tick). On Postgres they get a
 * database of their own, named after the shared one, so they never touch other files' accounts.
 */
export function setupTestDb(opts: { isolated?: string } = {}): () => Db {
  let db: Db | undefined;
  beforeAll(async () => {
    if (opts.isolated && process.env.DATABASE_URL) {
      process.env.DATABASE_URL = await ensureDatabase(process.env.DATABASE_URL, opts.isolated);
      resetEnvCache();
    }
    db = await getDb();
  });
  afterAll(closeDb);
  return () => {
    if (!db) throw new Error("database not ready: call inside a test or hook");
    return db;
  };
}

async function ensureDatabase(sharedUrl: string, suffix: string): Promise<string> {
  const url = new URL(sharedUrl);
  const name = `${url.pathname.slice(1)}_${suffix}`.replace(/[^a-z0-9_]/gi, "_");
  const { default: postgres } = await import("postgres");
  const admin = postgres(sharedUrl, { max: 1, onnotice: () => {} });
  try {
    const [found] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!found) await admin.unsafe(`create database "${name}"`).catch((err: { code?: string }) => {
      if (err.code !== "42P04") throw err; // created meanwhile by another run
    });
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}
