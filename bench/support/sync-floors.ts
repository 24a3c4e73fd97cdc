// The physical floors a full sync is compared with: reading every page with a bare loop, and
// writing the rows the sync wrote with one bulk insert.
import { and, asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { subscriberPropertyValues } from "@/db/schema";

const PER_PAGE = 150;

export interface ReadFloor {
  pages: number;
  contacts: number;
  ms: number;
}

/**
 * Every page of the full sync's query (same filter, sort and page size), with nothing done to
 * the contacts beyond parsing the JSON to find the next cursor.
 */
export async function measureReadFloor(apiUrl: string, token: string): Promise<ReadFloor> {
  const headers = {
    Authorization: `Bearer ${token}`,
    Accept: "application/json",
    "Content-Type": "application/json",
    "Intercom-Version": "2.16",
  };
  const started = performance.now();
  let cursor: string | undefined;
  let pages = 0;
  let contacts = 0;
  for (;;) {
    const res = await fetch(`${apiUrl}/contacts/search`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        query: { field: "updated_at", operator: ">", value: 0 },
        sort: { field: "updated_at", order: "ascending" },
        pagination: cursor ? { per_page: PER_PAGE, starting_after: cursor } : { per_page: PER_PAGE },
      }),
    });
    if (!res.ok) throw new Error(`read floor: search answered ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { data: unknown[]; pages?: { next?: { starting_after?: string } } };
    pages++;
    contacts += page.data.length;
    cursor = page.pages?.next?.starting_after;
    if (!cursor) break;
  }
  return { pages, contacts, ms: performance.now() - started };
}

export interface WriteFloor {
  rows: number;
  ms: number;
  chunk: number;
}

type ValueRow = typeof subscriberPropertyValues.$inferInsert;
const SNAPSHOT_PAGE = 20_000;
export const WRITE_FLOOR_CHUNK = 2_000;

/**
 * The rows the full sync wrote (subscriber x mapping), written again with plain multi-row
 * INSERTs in one transaction. The rows are copied (untimed), deleted, the table vacuumed so the
 * insert meets no dead tuples, then inserted (timed): the table ends as the sync left it.
 */
export async function measureWriteFloor(accountId: string): Promise<WriteFloor> {
  const db = await getDb();
  const t = subscriberPropertyValues;
  const rows: ValueRow[] = [];
  let after: { subscriberId: string; propertyId: string } | null = null;
  for (;;) {
    const page: ValueRow[] = await db
      .select({
        accountId: t.accountId,
        subscriberId: t.subscriberId,
        propertyId: t.propertyId,
        value: t.value,
        sourceContactId: t.sourceContactId,
        sourceAttribute: t.sourceAttribute,
        sourceUpdatedAt: t.sourceUpdatedAt,
      })
      .from(t)
      .where(and(eq(t.accountId, accountId), after ? sql`(${t.subscriberId}, ${t.propertyId}) > (${after.subscriberId}::uuid, ${after.propertyId}::uuid)` : undefined))
      .orderBy(asc(t.subscriberId), asc(t.propertyId))
      .limit(SNAPSHOT_PAGE);
    rows.push(...page);
    const last: ValueRow | undefined = page[page.length - 1];
    if (!last || page.length < SNAPSHOT_PAGE) break;
    after = { subscriberId: last.subscriberId, propertyId: last.propertyId };
  }
  await db.delete(t).where(eq(t.accountId, accountId));
  await db.execute(sql`vacuum analyze subscriber_property_values`);

  const started = performance.now();
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += WRITE_FLOOR_CHUNK) {
      await tx.insert(t).values(rows.slice(i, i + WRITE_FLOOR_CHUNK));
    }
  });
  return { rows: rows.length, ms: performance.now() - started, chunk: WRITE_FLOOR_CHUNK };
}
