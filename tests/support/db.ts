import { afterAll, beforeAll } from "vitest";
import { closeDb, getDb, type Db } from "@/db/client";

/**
 * One database per test file: in-memory PGlite, or the shared Postgres when DATABASE_URL is set
 * (tests create their own accounts, so they never depend on an empty database).
 */
export function setupTestDb(): () => Db {
  let db: Db | undefined;
  beforeAll(async () => {
    db = await getDb();
  });
  afterAll(closeDb);
  return () => {
    if (!db) throw new Error("database not ready: call inside a test or hook");
    return db;
  };
}
