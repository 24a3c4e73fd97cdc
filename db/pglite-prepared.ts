// Named prepared statements on PGlite, which has no API for them: PGlite's query() runs every
// statement as six protocol exchanges with the WASM engine (parse, describe, bind, describe,
// execute, sync), and the text is parsed and planned again each time. A statement run once a page
// is prepared once per database instead, and each run is one exchange: Bind, Execute, Sync.

/** What this file needs of a PGlite instance (its public protocol API and its two locks). */
export interface PgliteProtocol {
  execProtocol(message: Uint8Array, options?: { syncToFs?: boolean }): Promise<{ messages: BackendMessage[] }>;
  serializers: Record<number, (value: unknown) => string>;
  parsers: Record<number, (text: string, typeId: number) => unknown>;
  // query() and transaction() take both; the protocol API takes neither, so a statement sent
  // without them could land in the middle of another caller's transaction.
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
}

type BackendMessage =
  | { name: "parameterDescription"; dataTypeIDs: number[] }
  | { name: "rowDescription"; fields: Array<{ name: string; dataTypeID: number }> }
  | { name: "dataRow"; fields: Array<string | null> }
  | { name: string };

interface Prepared {
  name: string;
  paramTypes: number[];
  columns: Array<{ name: string; dataTypeID: number }>;
}

export function asPgliteProtocol(client: unknown): PgliteProtocol | null {
  const c = client as Partial<PgliteProtocol> | null;
  return c && typeof c.execProtocol === "function" && typeof c._runExclusiveTransaction === "function" && typeof c._runExclusiveQuery === "function" && c.parsers && c.serializers
    ? (c as PgliteProtocol)
    : null;
}

const statements = new WeakMap<PgliteProtocol, Map<string, Prepared>>();

/** Runs `text` as a named prepared statement, preparing it on first use; answers the rows. */
export async function pgliteExecutePrepared<T>(pg: PgliteProtocol, text: string, params: unknown[]): Promise<T[]> {
  return pg._runExclusiveTransaction(() =>
    pg._runExclusiveQuery(async () => {
      const stmt = await prepared(pg, text);
      const values = params.map((v, i) => serializeParam(pg, v, stmt.paramTypes[i]!));
      // The plan is chosen at Bind. SET is undone if the statement fails, RESET runs if it succeeds.
      const { messages } = await pg.execProtocol(
        concat([bind(GENERIC, []), execute(), bind(stmt.name, values), execute(), bind(AUTO, []), execute(), sync()]),
      );
      const rows: T[] = [];
      for (const m of messages) {
        if (m.name !== "dataRow") continue;
        const fields = (m as { fields: Array<string | null> }).fields;
        const row: Record<string, unknown> = {};
        stmt.columns.forEach((c, i) => {
          const raw = fields[i] ?? null;
          const parse = pg.parsers[c.dataTypeID];
          row[c.name] = raw === null ? null : parse ? parse(raw, c.dataTypeID) : raw;
        });
        rows.push(row as T);
      }
      return rows;
    }),
  );
}

/**
 * Left to choose, PGlite kept making a custom plan for every page: planning the page read with its
 * 150-element arrays as constants (4.6 ms) cost more than running it (2.6 ms). These statements
 * are index probes whatever the values, so they are planned once, generically; every other query
 * keeps the default.
 */
const GENERIC = "holdfast_plan_generic";
const AUTO = "holdfast_plan_auto";

async function prepared(pg: PgliteProtocol, text: string): Promise<Prepared> {
  let known = statements.get(pg);
  if (!known) {
    await prepare(pg, GENERIC, "set plan_cache_mode = force_generic_plan");
    await prepare(pg, AUTO, "reset plan_cache_mode");
    statements.set(pg, (known = new Map()));
  }
  let stmt = known.get(text);
  if (!stmt) {
    stmt = await prepare(pg, `holdfast_${known.size + 1}`, text);
    known.set(text, stmt);
  }
  return stmt;
}

async function prepare(pg: PgliteProtocol, name: string, text: string): Promise<Prepared> {
  const { messages } = await pg.execProtocol(concat([parse(name, text), describeStatement(name), sync()]));
  let paramTypes: number[] = [];
  let columns: Prepared["columns"] = [];
  for (const m of messages) {
    if (m.name === "parameterDescription") paramTypes = (m as { dataTypeIDs: number[] }).dataTypeIDs;
    if (m.name === "rowDescription") columns = (m as { fields: Prepared["columns"] }).fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
  }
  return { name, paramTypes, columns };
}

// As PGlite's query() does: the type's serializer when it has one, else the value's text.
function serializeParam(pg: PgliteProtocol, value: unknown, typeId: number): string | null {
  if (value === null || value === undefined) return null;
  const serialize = pg.serializers[typeId];
  return serialize ? serialize(value) : String(value);
}

// Frontend messages of the Postgres wire protocol (text format throughout).
const encoder = new TextEncoder();

function message(type: string, parts: Uint8Array[]): Uint8Array {
  const body = concat(parts);
  const out = new Uint8Array(5 + body.length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, 4 + body.length);
  out.set(body, 5);
  return out;
}

const cstring = (s: string) => concat([encoder.encode(s), new Uint8Array([0])]);
const int16 = (n: number) => new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n);
  return b;
};

const parse = (name: string, text: string) => message("P", [cstring(name), cstring(text), int16(0)]);
const describeStatement = (name: string) => message("D", [encoder.encode("S"), cstring(name)]);
const execute = () => message("E", [cstring(""), int32(0)]);
const sync = () => message("S", []);

function bind(name: string, values: Array<string | null>): Uint8Array {
  const parts: Uint8Array[] = [cstring(""), cstring(name), int16(0), int16(values.length)];
  for (const v of values) {
    if (v === null) parts.push(int32(-1));
    else {
      const bytes = encoder.encode(v);
      parts.push(int32(bytes.length), bytes);
    }
  }
  parts.push(int16(0));
  return message("B", parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
