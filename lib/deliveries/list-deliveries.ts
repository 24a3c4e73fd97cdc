import { and, count, desc, eq, ilike, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { answerDeliveries, answers, deliveryState, questions, subscribers } from "@/db/schema";
import { deliveryValueSchema } from "@/lib/forwarding/delivery-value";

export const DELIVERIES_PAGE_SIZE = 25;

export const deliveryStateSchema = z.enum(deliveryState.enumValues);
export type DeliveryState = z.infer<typeof deliveryStateSchema>;
export type DeliveryCounts = Record<DeliveryState, number> & { all: number };

export interface ListDeliveriesOptions {
  state?: DeliveryState | null;
  /** Part of the subscriber's email. */
  q?: string | null;
  page?: number | null;
}

export interface DeliveryListItem {
  id: string;
  state: DeliveryState;
  attempts: number;
  attribute: string;
  value: string | number;
  truncated: boolean;
  contactId: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  lastStatus: number | null;
  lastRequestId: string | null;
  attentionReason: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  deliveredAt: Date | null;
  subscriber: { id: string; email: string; intercomContactId: string | null };
  question: { id: string; prompt: string };
}

export interface DeliveryList {
  items: DeliveryListItem[];
  /** Per state for the tabs, within the email search when there is one. */
  counts: DeliveryCounts;
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

/** Newest answers first, one account only; filtered by state and by subscriber email. */
export async function listDeliveries(accountId: string, opts: ListDeliveriesOptions = {}): Promise<DeliveryList> {
  const db = await getDb();
  const term = cleanTerm(opts.q);
  const counts = await countDeliveriesByState(accountId, term);
  const total = opts.state ? counts[opts.state] : counts.all;
  const pageCount = Math.max(1, Math.ceil(total / DELIVERIES_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1) || 1), pageCount);

  const rows = await db
    .select({
      delivery: answerDeliveries,
      subscriber: { id: subscribers.id, email: subscribers.email, intercomContactId: subscribers.intercomContactId },
      question: { id: questions.id, prompt: questions.prompt },
    })
    .from(answerDeliveries)
    .innerJoin(subscribers, eq(subscribers.id, answerDeliveries.subscriberId))
    .innerJoin(answers, eq(answers.id, answerDeliveries.answerId))
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(and(scope(accountId, term), opts.state ? eq(answerDeliveries.state, opts.state) : undefined))
    // id breaks ties so a page boundary never repeats or skips a row.
    .orderBy(desc(answerDeliveries.createdAt), desc(answerDeliveries.id))
    .limit(DELIVERIES_PAGE_SIZE)
    .offset((page - 1) * DELIVERIES_PAGE_SIZE);

  const items = rows.map(({ delivery: d, subscriber, question }) => ({
    id: d.id,
    state: d.state,
    attempts: d.attempts,
    attribute: d.attribute,
    // An unreadable value (the row then needs attention) is shown as the JSON it is.
    value: deliveryValueSchema.safeParse(d.value).data ?? JSON.stringify(d.value),
    truncated: d.truncated,
    contactId: d.contactId,
    lastError: d.lastError,
    lastErrorCode: d.lastErrorCode,
    lastStatus: d.lastStatus,
    lastRequestId: d.lastRequestId,
    attentionReason: d.attentionReason,
    nextAttemptAt: d.nextAttemptAt,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
    subscriber,
    question,
  }));
  return { items, counts, total, page, pageCount, pageSize: DELIVERIES_PAGE_SIZE };
}

/** How many answers are in each state (the settings overview shows these; tabs use them too). */
export async function countDeliveriesByState(accountId: string, q?: string | null): Promise<DeliveryCounts> {
  const db = await getDb();
  const term = cleanTerm(q);
  const base = db.select({ state: answerDeliveries.state, n: count() }).from(answerDeliveries);
  const rows = await (term ? base.innerJoin(subscribers, eq(subscribers.id, answerDeliveries.subscriberId)) : base)
    .where(scope(accountId, term))
    .groupBy(answerDeliveries.state);
  const counts = Object.fromEntries([...deliveryState.enumValues.map((s) => [s, 0]), ["all", 0]]) as DeliveryCounts;
  for (const row of rows) {
    counts[row.state] = row.n;
    counts.all += row.n;
  }
  return counts;
}

function scope(accountId: string, term: string): SQL | undefined {
  const account = eq(answerDeliveries.accountId, accountId);
  // Subscribers are account-scoped too, but the join must not be the only thing keeping tenants apart.
  return term ? and(account, eq(subscribers.accountId, accountId), ilike(subscribers.email, likePattern(term))) : account;
}

function cleanTerm(q: string | null | undefined): string {
  // Postgres text cannot hold NUL, and a search box should never turn into a server error.
  return q?.replace(/\u0000/g, "").trim().slice(0, 200) ?? "";
}

/** The term as a literal substring: % _ and \ typed by the admin match themselves. */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
