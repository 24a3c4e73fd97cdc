import { and, count, desc, eq, gt, gte, isNotNull, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { accounts, alerts, answerDeliveries } from "@/db/schema";
import { raiseAlert, resolveAlert } from "./raise-alert";

export const FAILURE_RATE_SUBJECT = "failure-rate";
export const FAILURE_RATE_WINDOW_MS = 60 * 60 * 1000;
/** Below this many attempts a single bad answer would read as a 100% failure rate. */
export const FAILURE_RATE_MIN_DELIVERIES = 5;

const FAILING_STATES = ["failed", "needs_attention", "unknown"] as const;

export interface FailureRateCheck {
  attempted: number;
  failing: number;
  ratePct: number;
  thresholdPct: number;
  alerting: boolean;
}

/**
 * Of the answers Holdfast tried to send in the last hour, the share that failed, needs an admin
 * or is unconfirmed; at or above the account's threshold (and with enough attempts to mean
 * something) it opens the "failure-rate" alert, below it closes it. Deliveries from before the
 * previous failure-rate alert closed are not counted again, so a dismissed alert stays
 * dismissed until new answers fail.
 */
export async function checkDeliveryFailureRate(accountId: string): Promise<FailureRateCheck> {
  const db = await getDb();
  const [account, [lastClosed]] = await Promise.all([
    db.query.accounts.findFirst({ where: eq(accounts.id, accountId), columns: { alertFailureRate: true } }),
    db
      .select({ at: alerts.resolvedAt })
      .from(alerts)
      .where(and(eq(alerts.accountId, accountId), eq(alerts.subject, FAILURE_RATE_SUBJECT), isNotNull(alerts.resolvedAt)))
      .orderBy(desc(alerts.resolvedAt))
      .limit(1),
  ]);
  const thresholdPct = account?.alertFailureRate ?? 20;
  const hourAgo = new Date(Date.now() - FAILURE_RATE_WINDOW_MS);
  const since = lastClosed?.at && lastClosed.at > hourAgo ? lastClosed.at : hourAgo;

  const byState = await db
    .select({ state: answerDeliveries.state, n: count() })
    .from(answerDeliveries)
    .where(and(eq(answerDeliveries.accountId, accountId), gte(answerDeliveries.updatedAt, since), gt(answerDeliveries.attempts, 0)))
    .groupBy(answerDeliveries.state);
  const attempted = byState.reduce((sum, row) => sum + row.n, 0);
  const failingRows = byState.filter((row) => (FAILING_STATES as readonly string[]).includes(row.state));
  const failing = failingRows.reduce((sum, row) => sum + row.n, 0);
  const ratePct = attempted === 0 ? 0 : Math.round((failing / attempted) * 1000) / 10;
  const alerting = attempted >= FAILURE_RATE_MIN_DELIVERIES && ratePct >= thresholdPct;

  if (alerting) {
    // Point the admin at the tab holding most of the trouble.
    const worst = failingRows.reduce((a, b) => (b.n > a.n ? b : a));
    await raiseAlert(accountId, {
      kind: "failure_rate",
      subject: FAILURE_RATE_SUBJECT,
      message: `${failing} of ${attempted} answers sent to Intercom in the last hour failed, need attention or are unconfirmed (${ratePct}%; your alert threshold is ${thresholdPct}%).`,
      fixUrl: `/deliveries?state=${worst.state}`,
    });
  } else {
    await resolveAlert(accountId, FAILURE_RATE_SUBJECT);
  }
  return { attempted, failing, ratePct, thresholdPct, alerting };
}

/**
 * The cron's sweep: every account that sent answers in the last hour, or still has a
 * failure-rate alert open (so it can close). One account's error never stops the others.
 */
export async function checkFailureRates(): Promise<void> {
  try {
    const db = await getDb();
    const hourAgo = new Date(Date.now() - FAILURE_RATE_WINDOW_MS);
    const [active, open] = await Promise.all([
      db
        .selectDistinct({ accountId: answerDeliveries.accountId })
        .from(answerDeliveries)
        .where(and(gte(answerDeliveries.updatedAt, hourAgo), gt(answerDeliveries.attempts, 0))),
      db
        .select({ accountId: alerts.accountId })
        .from(alerts)
        .where(and(eq(alerts.subject, FAILURE_RATE_SUBJECT), isNull(alerts.resolvedAt))),
    ]);
    for (const accountId of new Set([...active, ...open].map((row) => row.accountId))) {
      await checkDeliveryFailureRate(accountId).catch((err: unknown) => {
        console.error(`[alerts] failure-rate check for account ${accountId} failed`, err);
      });
    }
  } catch (err) {
    // The cron tick calls this last; its summary of syncs and deliveries still matters.
    console.error("[alerts] failure-rate sweep failed", err);
  }
}
