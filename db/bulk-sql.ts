// Page-sized statements: many rows or a long list as ONE parameter, for both drivers.
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import type { Db, Tx } from "./client";
import { asPgliteProtocol, pgliteExecutePrepared } from "./pglite-prepared";

/** Raw statements: postgres.js answers an array of rows, PGlite `{ rows }`; callers get the rows. */
export async function executeRows<T>(db: Db | Tx, query: SQL, opts: { prepare?: boolean } = {}): Promise<T[]> {
  const runPrepared = opts.prepare && env().DATABASE_PREPARED_STATEMENTS ? preparedRunner(db) : null;
  if (runPrepared) {
    const { sql: text, params } = dialect.sqlToQuery(query);
    return (await runPrepared(text, params)) as T[];
  }
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

// These statements are raw SQL: the db's casing setting, which only renames table columns, has nothing to change.
const dialect = new PgDialect();

interface PostgresJsClient {
  unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<unknown[]>;
}

/**
 * How to run a statement prepared, for `prepare`: drizzle's `execute` never prepares, so a
 * statement run once a page was parsed and planned again every time. postgres.js prepares once per
 * connection; PGlite, once (db/pglite-prepared.ts). Transactions, which hold their own connection,
 * answer null and run unprepared: drizzle sets `$client` on a database only, never on a transaction.
 */
function preparedRunner(db: Db | Tx): ((text: string, params: unknown[]) => Promise<unknown[]>) | null {
  const client = (db as { $client?: unknown }).$client;
  const postgres = client as Partial<PostgresJsClient> | undefined;
  if (typeof postgres?.unsafe === "function") {
    const pool = postgres as PostgresJsClient;
    return (text, params) => pool.unsafe(text, params, { prepare: true });
  }
  const pglite = asPgliteProtocol(client);
  return pglite ? (text, params) => pgliteExecutePrepared(pglite, text, params) : null;
}

/**
 * Many rows as ONE parameter: `jsonb_to_recordset(${jsonRows(rows)})`. A page of writes then
 * costs one short statement to build, send and plan, however many rows it carries, instead of
 * one bind parameter per value.
 */
export function jsonRows(rows: object[]): string {
  return JSON.stringify(rows);
}

/**
 * `column = any(values)` for a text column, with the list as ONE text[] parameter: cheap to
 * build and plan for page-sized lists, and still answered from the column's index (including a
 * BitmapOr across an OR), unlike `in (select ...)` forms that turn into sequential scans.
 */
export function inTextList(column: AnyColumn, values: string[]): SQL {
  return sql`${column} = any(${textArrayLiteral(values)}::text[])`;
}

/** A Postgres array literal: every element quoted, so commas, braces and spaces stay data. */
export function textArrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}
