import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { env } from "@/lib/env";
import * as schema from "./schema";

// Both drivers expose the same drizzle query API; code is written against one type.
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

interface DbHandle {
  db: Db;
  kind: "postgres" | "pglite";
  close: () => Promise<void>;
}

// Kept on globalThis so Next's hot reload and per-route module copies share one connection.
const globalKey = Symbol.for("holdfast.db");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<DbHandle> };
const g = globalThis as GlobalWithDb;

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/** Opens the database on first use (never at import time: `next build` imports route modules). */
export function getDbHandle(): Promise<DbHandle> {
  g[globalKey] ??= openDb().catch((err) => {
    g[globalKey] = undefined;
    throw err;
  });
  return g[globalKey];
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

export async function closeDb(): Promise<void> {
  const handle = g[globalKey];
  g[globalKey] = undefined;
  if (handle) await (await handle).close();
}

async function openDb(): Promise<DbHandle> {
  const { DATABASE_URL, DATABASE_PREPARED_STATEMENTS, PGLITE_DATA_DIR } = env();
  return DATABASE_URL ? openPostgres(DATABASE_URL, DATABASE_PREPARED_STATEMENTS) : openPglite(PGLITE_DATA_DIR);
}

async function openPostgres(url: string, prepare: boolean): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // postgres.js prepares its own tagged queries unless told not to (see DATABASE_PREPARED_STATEMENTS).
  const sql = postgres(url, { max: 10, prepare, onnotice: () => {} });
  const db = drizzle(sql, { schema });
  // Serverless instances and parallel test workers may all start at once: one migrates.
  const lockConn = await sql.reserve();
  try {
    await lockConn`select pg_advisory_lock(7243001)`;
    await migrate(db, { migrationsFolder });
  } finally {
    await lockConn`select pg_advisory_unlock(7243001)`;
    lockConn.release();
  }
  return { db, kind: "postgres", close: () => sql.end({ timeout: 5 }) };
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const inMemory = dataDir === "memory://";
  const release = inMemory ? () => {} : claimDataDir(path.resolve(dataDir));
  try {
    const client = await PGlite.create(inMemory ? undefined : path.resolve(dataDir));
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder });
    return {
      db: db as unknown as Db,
      kind: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * PGlite gives a second process no error and silently loses its writes, so the data folder is
 * owned by one process at a time through a pid lock file beside it.
 */
export function claimDataDir(dir: string): () => void {
  mkdirSync(path.dirname(dir), { recursive: true });
  const lockFile = `${dir}.lock`;
  const inUse = (owner: number) =>
    new Error(
      `The embedded database at ${dir} is already in use by process ${owner}. ` +
        "Only one Holdfast process may use it: stop the other one, or set DATABASE_URL to use Postgres.",
    );
  if (existsSync(lockFile)) {
    const owner = Number(readFileSync(lockFile, "utf8").trim());
    if (owner && owner !== process.pid && isAlive(owner)) throw inUse(owner);
    rmSync(lockFile, { force: true });
  }
  try {
    // "wx" fails if another process created the lock between our check and now.
    writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch {
    throw inUse(Number(readFileSync(lockFile, "utf8").trim()));
  }
  const release = () => {
    try {
      if (readFileSync(lockFile, "utf8").trim() === String(process.pid)) rmSync(lockFile);
    } catch {
      // already gone
    }
  };
  process.once("exit", release);
  return release;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
