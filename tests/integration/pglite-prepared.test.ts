import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { asPgliteProtocol, pgliteExecutePrepared, type PgliteProtocol } from "@/db/pglite-prepared";

// The sync's page statements run on PGlite through its protocol API as named prepared statements
// (db/pglite-prepared.ts). Its own PGlite here, so these hold on either test database.
describe("prepared statements on PGlite", () => {
  let pg: PGlite;
  let protocol: PgliteProtocol;

  beforeAll(async () => {
    pg = await PGlite.create();
    protocol = asPgliteProtocol(pg)!;
    await pg.exec(`create table notes (id serial primary key, body text not null, meta jsonb, at bigint)`);
  });
  afterAll(() => pg.close());

  const run = <T>(text: string, params: unknown[] = []) => pgliteExecutePrepared<T>(protocol, text, params);
  const prepared = async (fragment: string) =>
    (await pg.query<{ n: number }>(`select count(*)::int as n from pg_prepared_statements where statement like '%' || $1 || '%'`, [fragment])).rows[0]!.n;

  it("answers rows with their columns parsed like PGlite's own queries", async () => {
    const text = `select $1::int as n, $2::text as s, $3::jsonb as j, $4::boolean as b, $5::text as missing, $6::bigint as big`;
    const params = [41, `quote " and \\ and , and { } and é`, JSON.stringify({ a: [1, "two"] }), true, null, "9007199254740993"];
    const rows = await run<Record<string, unknown>>(text, params);
    expect(rows).toEqual((await pg.query(text, params)).rows);
    expect(rows).toEqual([{ n: 41, s: `quote " and \\ and , and { } and é`, j: { a: [1, "two"] }, b: true, missing: null, big: 9007199254740993n }]);
  });

  const planCacheMode = async () => (await pg.query<{ plan_cache_mode: string }>(`show plan_cache_mode`)).rows[0]!.plan_cache_mode;

  it("prepares a statement once and plans it once, leaving every other query's planning alone", async () => {
    const text = `select count(*)::int as n from notes where body = any($1::text[]) /* plan probe */`;
    for (let i = 0; i < 8; i++) await run(text, [`{"a${i}","b"}`]);
    expect(await prepared("plan probe")).toBe(1);
    const [stats] = (await pg.query<{ generic_plans: number; custom_plans: number }>(`select generic_plans::int, custom_plans::int from pg_prepared_statements where statement like '%plan probe%'`)).rows;
    expect(stats).toEqual({ generic_plans: 8, custom_plans: 0 });
    expect(await planCacheMode()).toBe("auto");
  });

  it("writes, and answers what a data-modifying statement returns", async () => {
    const insert = `insert into notes (body, meta, at) values ($1, $2::jsonb, $3) returning id, body`;
    const first = await run<{ id: number; body: string }>(insert, ["one", null, 1]);
    const second = await run<{ id: number; body: string }>(insert, ["two", "{}", 2]);
    expect(second[0]!.id).toBe(first[0]!.id + 1);
    expect((await pg.query(`select body from notes order by id`)).rows).toEqual([{ body: "one" }, { body: "two" }]);
    expect(await run(`delete from notes where body = $1`, ["nothing"])).toEqual([]);
  });

  it("reports a failing statement and leaves the session usable", async () => {
    await expect(run(`select 1/$1::int as n`, [0])).rejects.toThrow(/division by zero/);
    await expect(run(`select * from no_such_table where id = $1`, [1])).rejects.toThrow(/no_such_table/);
    expect(await planCacheMode()).toBe("auto");
    expect(await run(`select 1/$1::int as n`, [1])).toEqual([{ n: 1 }]);
    expect((await pg.query(`select 2 as n`)).rows).toEqual([{ n: 2 }]);
  });

  it("waits for a transaction in progress instead of running inside it", async () => {
    let inside!: () => void;
    const insideOpen = new Promise<void>((resolve) => (inside = resolve));
    const transaction = pg
      .transaction(async (tx) => {
        await tx.query(`insert into notes (body) values ('rolled back')`);
        inside();
        // Long enough for the statement below to have run, had it not waited.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await tx.rollback();
      })
      .catch(() => {});
    await insideOpen;
    await run(`insert into notes (body) values ($1)`, ["kept"]);
    await transaction;
    expect((await pg.query(`select body from notes where body in ('kept', 'rolled back')`)).rows).toEqual([{ body: "kept" }]);
  });

  it("answers what drizzle's db.execute answers, dates and times as text included", async () => {
    const db = drizzle(pg);
    const query = sql`select ${"2026-12-04T10:00:00Z"}::timestamptz as at, ${"2026-12-04"}::date as day, ${"1 day"}::interval as span,
      ${"{1.5,2}"}::numeric[] as amounts, ${"7"}::int8 as big, ${'{"k": 1}'}::json as doc`;
    const { sql: text, params } = new PgDialect().sqlToQuery(query);
    const viaDrizzle = (await db.execute(query)).rows;
    expect(await run(text, params)).toEqual(viaDrizzle);
    expect(viaDrizzle[0]).toMatchObject({ day: "2026-12-04", amounts: "{1.5,2}", doc: { k: 1 } });
  });

  it("rejects a value the statement's type refuses, and the next run works", async () => {
    const text = `select $1::uuid as id`;
    await expect(run(text, ["not-a-uuid"])).rejects.toMatchObject({ code: "22P02" });
    expect(await run(text, ["7f2c1f0e-3a8b-4c55-9d0e-2b1a5c6d7e8f"])).toEqual([{ id: "7f2c1f0e-3a8b-4c55-9d0e-2b1a5c6d7e8f" }]);
  });

  it("keeps the session's own plan_cache_mode", async () => {
    await pg.exec("set plan_cache_mode = force_custom_plan");
    try {
      await run(`select $1::int + 1 as n`, [1]);
      await expect(run(`select 1/$1::int as n`, [0])).rejects.toThrow(/division by zero/);
      expect(await planCacheMode()).toBe("force_custom_plan");
    } finally {
      await pg.exec("reset plan_cache_mode");
    }
  });

  it("prepares again after DEALLOCATE ALL", async () => {
    const text = `select $1::text as s /* after deallocate */`;
    expect(await run(text, ["before"])).toEqual([{ s: "before" }]);
    await pg.exec("deallocate all");
    expect(await run(text, ["after"])).toEqual([{ s: "after" }]);
    expect(await prepared("after deallocate")).toBe(1);
  });

  // Next.js's hot reload and per-route bundles load this module more than once; the database
  // instance is shared (db/client.ts keeps it on globalThis).
  it("works from a second copy of the module on the same instance", async () => {
    vi.resetModules();
    const copy = await import("@/db/pglite-prepared");
    expect(copy.pgliteExecutePrepared).not.toBe(pgliteExecutePrepared);
    const text = `select $1::text as s /* two copies */`;
    expect(await run(text, ["first"])).toEqual([{ s: "first" }]);
    expect(await copy.pgliteExecutePrepared(copy.asPgliteProtocol(pg)!, text, ["second"])).toEqual([{ s: "second" }]);
    expect(await run(text, ["third"])).toEqual([{ s: "third" }]);
    expect(await prepared("two copies")).toBe(1);
  });

  it("says a closed database is closed", async () => {
    const closed = await PGlite.create();
    await closed.close();
    await expect(pgliteExecutePrepared(asPgliteProtocol(closed)!, `select 1 as n`, [])).rejects.toThrow("PGlite is closed");
  });

  it("recognises a PGlite instance and nothing else", () => {
    expect(asPgliteProtocol(pg)).toBe(pg);
    expect(asPgliteProtocol({ unsafe: () => [] })).toBeNull();
    expect(asPgliteProtocol(undefined)).toBeNull();
  });
});
