import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { closeDb, getDb, type Db } from "@/db/client";
import { resetEnvCache } from "@/lib/env";

/**
 * One database per test file: in-memory PGlite, or, when DATABASE_URL is set, a fresh Postgres
 * database created for this file and dropped after it. Separate databases keep work that sweeps
 * every account (the cron tick, outbox drains) in one file from touching another file's rows.
 */
export function setupTestDb(): () => Db {
  let db: Db | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (process.env.DATABASE_URL) dropDatabase = await useFreshPostgresDatabase(process.env.DATABASE_URL);
    db = await getDb();
  });
  afterAll(async () => {
    await closeDb();
    await dropDatabase?.();
  });
  return () => {
    if (!db) throw new Error("database not ready: call inside a test or hook");
    return db;
  };
}

async function useFreshPostgresDatabase(baseUrl: string) {
  const { default: postgres } = await import("postgres");
  const name = `holdfast_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  resetEnvCache();
  return async () => {
    process.env.DATABASE_URL = baseUrl;
    resetEnvCache();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  };
}
