import { drainDueDeliveries } from "@/lib/forwarding/drain";

// One after-response drain per account per process; answers arriving meanwhile join it.
const running = new Map<string, { again: boolean }>();
/** After this, what is still due waits for the cron tick rather than hold the process. */
const KICK_BUDGET_MS = 20_000;

/**
 * Sends the account's due answer deliveries right after a widget response. Under load, answers
 * that arrive while a drain runs only ask it for one more pass: Intercom writes are then claimed
 * in batches and coalesced per contact, instead of hundreds of parallel tasks competing with the
 * widget's own requests for the database.
 */
export async function kickDeliveries(accountId: string): Promise<void> {
  const current = running.get(accountId);
  if (current) {
    current.again = true;
    return;
  }
  const state = { again: true };
  running.set(accountId, state);
  const deadline = Date.now() + KICK_BUDGET_MS;
  try {
    while (state.again && Date.now() < deadline) {
      state.again = false;
      await drainDueDeliveries({ accountId, budgetMs: deadline - Date.now() });
    }
  } finally {
    running.delete(accountId);
  }
}
