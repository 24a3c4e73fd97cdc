import { sql } from "drizzle-orm";
import type { Db } from "./client";

// Tables whose size and per-account distribution change by orders of magnitude in bulk work (an
// import, a first sync filling the candidate table from nothing), and that lookups probe by
// something other than their primary key. subscriber_property_values is read by subscriber only.
export type BulkTable = "subscribers" | "intercom_contacts";

/**
 * Refreshes the planner's statistics after bulk changes. Postgres's autovacuum gets there a
 * minute or more later, PGlite (which has no autovacuum) never: with statistics taken when an
 * account had 50 rows, page-sized lookups are planned as scans of the whole account. SKIP_LOCKED
 * leaves a table that autovacuum is already analysing alone.
 */
export async function refreshPlannerStatistics(db: Db, tables: readonly BulkTable[]) {
  await db.execute(sql.raw(`analyze (skip_locked) ${tables.join(", ")}`));
}
