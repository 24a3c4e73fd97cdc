import { and, count, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { subscribers } from "@/db/schema";

export const SUBSCRIBERS_PAGE_SIZE = 50;

export interface ListSubscribersOptions {
  q?: string | null;
  page?: number | null;
}

export type SubscriberListItem = Pick<
  typeof subscribers.$inferSelect,
  "id" | "email" | "name" | "plan" | "status" | "intercomMatch" | "intercomCandidates" | "createdAt"
>;

export interface SubscriberList {
  items: SubscriberListItem[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  /** True when the account has no subscribers at all (not just none matching the search). */
  accountIsEmpty: boolean;
}

/** Newest first, 50 a page; `q` matches email or name anywhere, case-insensitively. */
export async function listSubscribers(accountId: string, { q, page }: ListSubscribersOptions = {}): Promise<SubscriberList> {
  const db = await getDb();
  // Postgres text cannot hold NUL, and a search box should never turn into a server error.
  const term = q?.replace(/\u0000/g, "").trim() ?? "";
  const scope = eq(subscribers.accountId, accountId);
  const where: SQL | undefined = term
    ? and(scope, or(ilike(subscribers.email, likePattern(term)), ilike(subscribers.name, likePattern(term))))
    : scope;

  const [matching] = await db.select({ n: count() }).from(subscribers).where(where);
  const total = matching?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / SUBSCRIBERS_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(page ?? 1) || 1), pageCount);
  const items = await db
    .select({
      id: subscribers.id,
      email: subscribers.email,
      name: subscribers.name,
      plan: subscribers.plan,
      status: subscribers.status,
      intercomMatch: subscribers.intercomMatch,
      intercomCandidates: subscribers.intercomCandidates,
      createdAt: subscribers.createdAt,
    })
    .from(subscribers)
    .where(where)
    // id breaks ties so rows imported in one statement keep a stable order across pages.
    .orderBy(desc(subscribers.createdAt), desc(subscribers.id))
    .limit(SUBSCRIBERS_PAGE_SIZE)
    .offset((current - 1) * SUBSCRIBERS_PAGE_SIZE);

  let accountIsEmpty = total === 0 && !term;
  if (total === 0 && term) {
    const [any] = await db.select({ n: count() }).from(subscribers).where(scope);
    accountIsEmpty = (any?.n ?? 0) === 0;
  }
  return { items, total, page: current, pageCount, pageSize: SUBSCRIBERS_PAGE_SIZE, accountIsEmpty };
}

/** The search term as a literal substring: % _ and \ typed by the admin match themselves. */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
