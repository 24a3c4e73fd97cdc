import { drainDueDeliveries } from "@/lib/forwarding/drain";

// One after-response drain per account per process; answers arriving meanwhile join it.
const running = new Map<string, { again: boolean; done: Promise<void> }>();
/** After this, what is still due waits for the cron tick rather than hold the process. */
const KICK_BUDGET_MS = 20_000;

/**
 * Sends the account's due answer deliveries right after a widget response. Under load, answers
 * that arrive while a drain runs only ask it for one more pass: Intercom writes are then claimed
 * in batches and coalesced per contact, instead of hundreds of parallel tasks competing with the
 * widget's own requests for the database. Either way the promise settles once a pass that began
 * after the call has ended (or the budget ran out), so a caller can rely on what it asked for.
 */
export function kickDeliveries(accountId: string): Promise<void> {
  const current = running.get(accountId);
  if (current) {
    current.again = true;
    return current.done;
  }
  const state = { again: true, done: Promise.resolve() };
  state.done = drainWhileAsked(accountId, state).finally(() => running.delete(accountId));
  running.set(accountId, state);
  return state.done;
}

async function drainWhileAsked(accountId: string, state: { again: boolean }) {
  const deadline = Date.now() + KICK_BUDGET_MS;
  while (state.again && Date.now() < deadline) {
    state.again = false;
    await drainDueDeliveries({ accountId, budgetMs: deadline - Date.now() });
  }
}
