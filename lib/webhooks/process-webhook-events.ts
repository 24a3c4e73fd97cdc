import { and, asc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { webhookEvents } from "@/db/schema";
import { runAfterResponse } from "@/lib/widget/after-response";
import { applyWebhookBatch, type EventOutcome } from "./apply-webhook-events";

export type WebhookEvent = typeof webhookEvents.$inferSelect;

// Events are claimed in batches so a burst is applied a page of contacts at a time, not one
// transaction per notification.
const BATCH_SIZE = 200;
// A claimed event whose worker died (function killed mid-batch) is taken again after this long.
// While an event is `processing` or `retry`, processed_at holds the time of its last claim.
const CLAIM_TTL_MS = 5 * 60_000;
const RETRY_AFTER_MS = 60_000;
export const MAX_WEBHOOK_ATTEMPTS = 5;

export interface WebhookProcessSummary {
  claimed: number;
  processed: number;
  ignored: number;
  retried: number;
  failed: number;
}

/**
 * Applies stored notifications (oldest first) until none is due or the budget is spent. Safe to
 * run from several places at once (after each webhook response, the cron tick): claims skip rows
 * another worker holds.
 */
export async function processWebhookEvents(opts: { budgetMs: number }): Promise<WebhookProcessSummary> {
  const deadline = Date.now() + opts.budgetMs;
  const summary: WebhookProcessSummary = { claimed: 0, processed: 0, ignored: 0, retried: 0, failed: 0 };
  while (Date.now() < deadline) {
    const batch = await claimWebhookEvents(BATCH_SIZE);
    if (batch.length === 0) break;
    summary.claimed += batch.length;
    const outcomes = await applyWebhookBatch(batch);
    await recordOutcomes(batch, outcomes, summary);
  }
  return summary;
}

let running: Promise<void> | null = null;
let rerun = false;
// One drain per process at a time: a burst of notifications (each answered with an after()
// task) then costs one worker, not one per request.
const AFTER_RESPONSE_BUDGET_MS = 50_000;
// Notifications come in bursts; a short pause lets one batch (one transaction per page of
// contacts) cover many of them, and leaves the database to the requests being answered.
const GATHER_MS = 250;

/** Starts (or extends) this process's drain; resolves when it has caught up or used its budget. */
export function scheduleWebhookProcessing(): Promise<void> {
  if (running) {
    rerun = true;
    return running;
  }
  const deadline = Date.now() + AFTER_RESPONSE_BUDGET_MS;
  running = (async () => {
    try {
      do {
        rerun = false;
        await new Promise((r) => setTimeout(r, GATHER_MS));
        await processWebhookEvents({ budgetMs: deadline - Date.now() });
      } while (rerun && Date.now() < deadline);
    } finally {
      running = null;
    }
  })();
  return running;
}

async function claimWebhookEvents(limit: number): Promise<WebhookEvent[]> {
  const db = await getDb();
  const now = Date.now();
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: webhookEvents.id })
      .from(webhookEvents)
      .where(
        or(
          eq(webhookEvents.status, "queued"),
          and(eq(webhookEvents.status, "retry"), lt(webhookEvents.processedAt, new Date(now - RETRY_AFTER_MS))),
          and(eq(webhookEvents.status, "processing"), lt(webhookEvents.processedAt, new Date(now - CLAIM_TTL_MS))),
        ),
      )
      .orderBy(asc(webhookEvents.receivedAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    const claimed = await tx
      .update(webhookEvents)
      .set({ status: "processing", attempts: sql`${webhookEvents.attempts} + 1`, processedAt: new Date(now) })
      .where(inArray(webhookEvents.id, due.map((d) => d.id)))
      .returning();
    return claimed.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  });
}

/** One UPDATE per outcome kind and message: a batch of 200 costs a handful of statements. */
async function recordOutcomes(batch: WebhookEvent[], outcomes: Map<string, EventOutcome>, summary: WebhookProcessSummary) {
  const db = await getDb();
  const groups = new Map<string, { status: string; error: string | null; ids: string[] }>();
  for (const event of batch) {
    const outcome = outcomes.get(event.id) ?? { status: "retry", error: "Not processed" };
    const status = outcome.status === "retry" && event.attempts >= MAX_WEBHOOK_ATTEMPTS ? "failed" : outcome.status;
    summary[status === "retry" ? "retried" : status]++;
    const key = `${status}\u0000${outcome.error ?? ""}`;
    const group = groups.get(key) ?? { status, error: outcome.error ?? null, ids: [] };
    group.ids.push(event.id);
    groups.set(key, group);
  }
  for (const g of groups.values()) {
    await db
      .update(webhookEvents)
      .set({ status: g.status, error: g.error, processedAt: new Date() })
      .where(and(inArray(webhookEvents.id, g.ids), eq(webhookEvents.status, "processing")));
  }
}

/** Applies what a webhook response just queued once the response is out (Next's `after`). */
export function processAfterResponse() {
  runAfterResponse(scheduleWebhookProcessing);
}
