import { claimDueDeliveries } from "./claim";
import { sendClaimedDelivery } from "./deliver";

const BATCH = 20;

/**
 * Sends due answer deliveries until none are left or the time budget is spent (cron and the
 * widget's after-response hook call this). Each batch is claimed under a lease first.
 */
export async function drainDueDeliveries(opts: {
  budgetMs: number;
  accountId?: string;
}): Promise<{ attempted: number; delivered: number; failed: number }> {
  const deadline = Date.now() + opts.budgetMs;
  const totals = { attempted: 0, delivered: 0, failed: 0 };
  while (Date.now() < deadline) {
    const batch = await claimDueDeliveries({ limit: BATCH, accountId: opts.accountId });
    if (batch.length === 0) break;
    for (const delivery of batch) {
      const outcome = await sendClaimedDelivery(delivery);
      if (outcome === "skipped") continue;
      totals.attempted++;
      if (outcome === "delivered") totals.delivered++;
      else if (outcome === "failed" || outcome === "needs_attention") totals.failed++;
    }
  }
  return totals;
}
