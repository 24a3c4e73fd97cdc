import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { refreshPlannerStatistics } from "@/db/planner-statistics";
import { subscribers } from "@/db/schema";
import { CsvParseError, parseCsv } from "./csv";
import { importSizeProblem } from "./import-limits";
import { importColumns, importRowSchema, type ImportColumn, type ImportRow } from "./import-row";

export const MAX_IMPORT_ROWS = 10_000;
const CHUNK = 500;

export interface ImportError {
  line: number;
  message: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  errors: ImportError[];
  /** Header columns Holdfast does not know; their cells were not imported. */
  ignoredColumns: string[];
}

interface ValidRow extends ImportRow {
  line: number;
}

/**
 * Upserts subscribers from CSV text, matched on the normalised email so " Dana@Example.COM "
 * updates dana@example.com. Bad rows are reported by line and skipped; good rows are kept.
 * Blank cells leave stored values unchanged.
 */
export async function importSubscribers(accountId: string, csvText: string): Promise<ImportResult> {
  const parsed = readRows(csvText);
  if ("error" in parsed) return { created: 0, updated: 0, errors: [parsed.error], ignoredColumns: [] };
  const { rows, errors, ignoredColumns } = parsed;
  const db = await getDb();
  let created = 0;
  let updated = 0;
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const counts = await upsertChunk(tx, accountId, rows.slice(i, i + CHUNK));
      created += counts.created;
      updated += counts.updated;
    }
  });
  // The sync's first pages look these subscribers up by email straight after an import.
  if (created > 0) await refreshPlannerStatistics(db, ["subscribers"]);
  return { created, updated, errors: errors.sort((a, b) => a.line - b.line), ignoredColumns };
}

function readRows(csvText: string): { rows: ValidRow[]; errors: ImportError[]; ignoredColumns: string[] } | { error: ImportError } {
  const tooLarge = importSizeProblem(csvText);
  if (tooLarge) return { error: { line: 1, message: tooLarge } };
  // Postgres text cannot hold NUL; a file full of them is UTF-16 read as UTF-8.
  const nul = csvText.indexOf("\u0000");
  if (nul !== -1) {
    const line = csvText.slice(0, nul).split(/\r\n|\r|\n/).length;
    return { error: { line, message: "This file contains NUL characters (it may be UTF-16). Save it as UTF-8 CSV and try again." } };
  }
  let records;
  try {
    records = parseCsv(csvText);
  } catch (err) {
    if (err instanceof CsvParseError) return { error: { line: err.line, message: err.message } };
    throw err;
  }
  const [header, ...body] = records;
  if (!header) return { error: { line: 1, message: "The CSV is empty. Paste a header row (email,name,…) and at least one subscriber." } };
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  if (!columns.includes("email")) {
    return { error: { line: header.line, message: 'The header row needs an "email" column (for example: email,name,plan).' } };
  }
  const duplicate = columns.find((c, i) => c !== "" && columns.indexOf(c) !== i);
  if (duplicate) return { error: { line: header.line, message: `The header row has the column "${duplicate}" twice.` } };
  if (body.length === 0) return { error: { line: header.line, message: "The CSV has a header row but no subscribers below it." } };
  if (body.length > MAX_IMPORT_ROWS) {
    return {
      error: {
        line: header.line,
        message: `This file has ${body.length.toLocaleString("en-US")} rows; import at most ${MAX_IMPORT_ROWS.toLocaleString("en-US")} at a time.`,
      },
    };
  }
  const known = new Set<string>(importColumns);
  const ignoredColumns = columns.filter((c) => c !== "" && !known.has(c));

  const rows: ValidRow[] = [];
  const errors: ImportError[] = [];
  const firstLineByKey = new Map<string, number>();
  for (const record of body) {
    if (record.fields.length > columns.length && record.fields.slice(columns.length).some((f) => f.trim() !== "")) {
      errors.push({ line: record.line, message: `This row has ${record.fields.length} values but the header has ${columns.length} columns.` });
      continue;
    }
    const cells = Object.fromEntries(importColumns.map((c) => [c, cellOf(record.fields, columns, c)]));
    const result = importRowSchema.safeParse(cells);
    if (!result.success) {
      errors.push({ line: record.line, message: result.error.issues.map((i) => i.message).join("; ") });
      continue;
    }
    const seenOn = firstLineByKey.get(result.data.email.key);
    if (seenOn !== undefined) {
      errors.push({ line: record.line, message: `${result.data.email.key} already appears on line ${seenOn}; this row was skipped.` });
      continue;
    }
    firstLineByKey.set(result.data.email.key, record.line);
    rows.push({ ...result.data, line: record.line });
  }
  return { rows, errors, ignoredColumns };
}

function cellOf(fields: string[], columns: string[], column: ImportColumn): string {
  const index = columns.indexOf(column);
  return index === -1 ? "" : (fields[index] ?? "");
}

async function upsertChunk(tx: Tx, accountId: string, rows: ValidRow[]) {
  const existing = await tx
    .select({ emailKey: subscribers.emailKey })
    .from(subscribers)
    .where(and(eq(subscribers.accountId, accountId), inArray(subscribers.emailKey, rows.map((r) => r.email.key))));
  const known = new Set(existing.map((s) => s.emailKey));

  // Rows that fill the same columns share one upsert that overwrites exactly those columns;
  // a spreadsheet export has only a handful of such shapes.
  const groups = new Map<string, ValidRow[]>();
  for (const row of rows) {
    const shape = Object.keys(fieldsOf(row)).join(",");
    const group = groups.get(shape);
    if (group) group.push(row);
    else groups.set(shape, [row]);
  }
  for (const [shape, group] of groups) {
    const columns = shape ? (shape.split(",") as (keyof ReturnType<typeof fieldsOf>)[]) : [];
    const set = Object.fromEntries(columns.map((c) => [c, sql`excluded.${sql.identifier(subscribers[c].name)}`]));
    await tx
      .insert(subscribers)
      .values(group.map((r) => ({ accountId, email: r.email.email, emailKey: r.email.key, ...fieldsOf(r) })))
      .onConflictDoUpdate({ target: [subscribers.accountId, subscribers.emailKey], set: { ...set, updatedAt: sql`now()` } });
  }
  const updated = rows.filter((r) => known.has(r.email.key)).length;
  return { created: rows.length - updated, updated };
}

/** Only the cells that hold a value: blank ones are left out so they do not overwrite. */
function fieldsOf(row: ValidRow) {
  const fields = {
    name: row.name,
    plan: row.plan,
    status: row.status,
    mrrCents: row.mrr,
    externalId: row.external_id,
    subscribedAt: row.subscribed_at,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<typeof fields>;
}
