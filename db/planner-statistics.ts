import { sql } from "drizzle-orm";
import type { Db } from "./client";

// Tables whose size and per-account distribution change by orders of magnitude in bulk work:
// an import, a first sync filling the candidate and value tables from nothing.
export const BULK_TABLES = ["subscribers", "intercom_contacts", "subscriber_property_values"] as const;

/**
 * Refreshes the planner's statistics after bulk changes. Postgres's autovacuum gets there a
 * minute or more later, PGlite (which has no autovacuum) never: with statistics taken when an
 * account had 50 rows, page-sized lookups are planned as scans of the whole account. SKIP_LOCKED
 * leaves a table that autovacuum is already analysing alone.
 */
export async function refreshPlannerStatistics(db: Db, tables: readonly (typeof BULK_TABLES)[number][] = BULK_TABLES) {
  await db.execute(sql.raw(`analyze (skip_locked) ${tables.join(", ")}`));
}
