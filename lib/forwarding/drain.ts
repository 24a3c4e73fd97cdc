import { claimDueDeliveries, groupBySubscriber } from "./claim";
import { newDrainContext, writeContactDeliveries } from "./write-contact";

const BATCH = 20;

/**
 * Sends due answer deliveries until none are left or the time budget is spent (cron and the
 * widget's after-response hook call this). Each batch is claimed under a lease first, then
 * written as one PUT per contact.
 */
export async function drainDueDeliveries(opts: {
  budgetMs: number;
  accountId?: string;
}): Promise<{ attempted: number; delivered: number; failed: number }> {
  const deadline = Date.now() + opts.budgetMs;
  const totals = { attempted: 0, delivered: 0, failed: 0 };
  const ctx = newDrainContext();
  while (Date.now() < deadline) {
    const batch = await claimDueDeliveries({ limit: BATCH, accountId: opts.accountId });
    if (batch.length === 0) break;
    for (const group of groupBySubscriber(batch)) {
      let outcomes;
      try {
        outcomes = await writeContactDeliveries(group, ctx);
      } catch (err) {
        // The group keeps its lease and is retried when it runs out; the rest of the drain goes on.
        console.error(`[forwarding] writing deliveries for subscriber ${group[0]!.subscriberId} failed`, err);
        continue;
      }
      for (const outcome of outcomes.values()) {
        if (outcome === "skipped" || outcome === "superseded") continue;
        totals.attempted++;
        if (outcome === "delivered") totals.delivered++;
        else if (outcome === "failed" || outcome === "needs_attention") totals.failed++;
      }
    }
  }
  return totals;
}
