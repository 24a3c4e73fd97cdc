// Named prepared statements on PGlite, which has no API for them: PGlite's query() runs every
// statement as six protocol exchanges with the WASM engine (parse, describe, bind, describe,
// execute, sync), and the text is parsed and planned again each time. A statement run once a page
// is prepared once per database instead, and each run is one exchange: Bind, Execute, Sync.
import { randomBytes } from "node:crypto";

/**
 * What this file needs of a PGlite instance: its protocol API, and three of its internal methods.
 * query() and transaction() take both locks; the protocol API takes neither, so a statement sent
 * without them could land in the middle of another caller's transaction. A PGlite version without
 * them is not recognised (asPgliteProtocol), and the statements then run unprepared.
 */
export interface PgliteProtocol {
  execProtocolStream(message: Uint8Array): Promise<BackendMessage[]>;
  serializers: Record<number, (value: unknown) => string>;
  parsers: Record<number, (text: string, typeId: number) => unknown>;
  _checkReady(): Promise<void>;
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
  const methods = [c?.execProtocolStream, c?._checkReady, c?._runExclusiveTransaction, c?._runExclusiveQuery];
  return c && methods.every((m) => typeof m === "function") && c.parsers && c.serializers ? (c as PgliteProtocol) : null;
}

/**
 * What an instance has prepared, kept on the instance: it outlives this module, whose copies (hot
 * reload, one per route bundle) share it through globalThis (db/client.ts). Names carry a token
 * of their own, so a lost list can never collide with statements still prepared.
 */
interface PreparedSet {
  token: string;
  generic: string | null;
  statements: Map<string, Prepared>;
}

const preparedKey = Symbol.for("holdfast.pglite.prepared");
type WithPrepared = PgliteProtocol & { [preparedKey]?: PreparedSet };

// "prepared statement does not exist": someone ran DEALLOCATE or DISCARD; prepare again.
const NOT_PREPARED = "26000";

/** Runs `text` (a fixed statement text) as a named prepared statement, preparing it on first use; answers the rows. */
export async function pgliteExecutePrepared<T>(pg: PgliteProtocol, text: string, params: unknown[]): Promise<T[]> {
  await pg._checkReady();
  return pg._runExclusiveTransaction(() =>
    pg._runExclusiveQuery(async () => {
      try {
        return await run<T>(pg, text, params);
      } catch (err) {
        if ((err as { code?: string }).code !== NOT_PREPARED) throw err;
        delete (pg as WithPrepared)[preparedKey];
        return run<T>(pg, text, params);
      }
    }),
  );
}

async function run<T>(pg: PgliteProtocol, text: string, params: unknown[]): Promise<T[]> {
  const { generic, stmt } = await prepared(pg, text);
  const values = params.map((v, i) => serializeParam(pg, v, stmt.paramTypes[i]!));
  // The plan is chosen at Bind: generic for this statement, until the exchange's transaction ends.
  const messages = await pg.execProtocolStream(concat([bind(generic, []), execute(), bind(stmt.name, values), execute(), sync()]));
  const rows: T[] = [];
  let completed = 0;
  for (const m of messages) {
    if (m.name === "commandComplete") completed++;
    // The first command is the set_config, whose row is not ours.
    if (m.name !== "dataRow" || completed !== 1) continue;
    const fields = (m as { fields: Array<string | null> }).fields;
    const row: Record<string, unknown> = {};
    stmt.columns.forEach((c, i) => {
      row[c.name] = parseField(pg, fields[i] ?? null, c.dataTypeID);
    });
    rows.push(row as T);
  }
  return rows;
}

/**
 * Left to choose, PGlite kept making a custom plan for every page: planning the page read (4.6 ms
 * at page 300 of 100k) cost more than running it (2.6 ms). These statements are index probes
 * whatever the values, so they are planned once, generically. set_config(..., true) lasts until the
 * exchange's transaction ends, so every other query keeps the session's setting.
 */
async function prepared(pg: PgliteProtocol, text: string): Promise<{ generic: string; stmt: Prepared }> {
  const holder = pg as WithPrepared;
  const set = (holder[preparedKey] ??= { token: randomBytes(4).toString("hex"), generic: null, statements: new Map() });
  set.generic ??= (await prepare(pg, `holdfast_${set.token}_generic`, "select set_config('plan_cache_mode', 'force_generic_plan', true)")).name;
  let stmt = set.statements.get(text);
  if (!stmt) {
    stmt = await prepare(pg, `holdfast_${set.token}_${set.statements.size + 1}`, text);
    set.statements.set(text, stmt);
  }
  return { generic: set.generic, stmt };
}

async function prepare(pg: PgliteProtocol, name: string, text: string): Promise<Prepared> {
  const messages = await pg.execProtocolStream(concat([parse(name, text), describeStatement(name), sync()]));
  let paramTypes: number[] = [];
  let columns: Prepared["columns"] = [];
  for (const m of messages) {
    if (m.name === "parameterDescription") paramTypes = (m as { dataTypeIDs: number[] }).dataTypeIDs;
    if (m.name === "rowDescription") {
      columns = (m as { fields: Prepared["columns"] }).fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
    }
  }
  return { name, paramTypes, columns };
}

// As PGlite's query() does: the type's serializer when it has one, else the value's text.
function serializeParam(pg: PgliteProtocol, value: unknown, typeId: number): string | null {
  if (value === null || value === undefined) return null;
  const serialize = pg.serializers[typeId];
  return serialize ? serialize(value) : String(value);
}

// Dates, times and intervals (and numeric[]) stay text, as drizzle's PGlite and postgres.js
// drivers leave them (drizzle-orm/pglite/session.js): the rows answer what db.execute would.
const KEPT_AS_TEXT = new Set([1082, 1114, 1184, 1186, 1182, 1115, 1185, 1187, 1231]);

function parseField(pg: PgliteProtocol, raw: string | null, typeId: number): unknown {
  if (raw === null || KEPT_AS_TEXT.has(typeId)) return raw;
  const parse = pg.parsers[typeId];
  return parse ? parse(raw, typeId) : raw;
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
