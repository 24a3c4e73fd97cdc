// Intercom enforces its per-minute limit in 10-second windows and reports the window on every
// authenticated answer (X-RateLimit-Limit/-Remaining/-Reset, API-NOTES §4.3). This file holds the
// decisions (when to slow down, how long to wait after a 429); rate-budget-store.ts shares the
// window between processes through the database.

export interface RateObservation {
  status: number;
  limit?: number;
  remaining?: number;
  /** Unix ms (the header is Unix seconds). */
  resetAt?: number;
}

export interface RateWindow {
  limit: number | null;
  remaining: number;
  /** Unix ms at which the window ends. */
  resetAt: number;
}

export interface RateBudget {
  /** Resolves once a request may be sent; true when it had to wait for the window to reset. */
  acquire(sleep: (ms: number) => Promise<void>): Promise<boolean>;
  /** Records what a response said about the window; a 429 always counts as spent. */
  observe(obs: RateObservation): Promise<void>;
}

// Without X-RateLimit-Reset on a 429 (seen in the wild, traps C18) we still wait one full window.
export const RATE_LIMIT_FALLBACK_MS = 10_000;
// A window is 10 s; a reset further away than this is a clock or header problem, not a reason
// to stall a sync for minutes.
export const MAX_RATE_WAIT_MS = 60_000;
const MIN_RATE_LIMITED_WAIT_MS = 1_000;
const PRE_WAIT_JITTER_MS = 250;

/**
 * Requests left unspent in every window: room for calls other processes already have in flight
 * (and the customer's other apps on the workspace limit), so we slow down before Intercom has
 * to answer 429.
 */
export function reserveFor(limit: number | null): number {
  return Math.max(2, Math.ceil((limit ?? 0) * 0.05));
}

/** How long to hold the next request: until the reset when the window is down to its reserve. */
export function waitBeforeRequestMs(window: RateWindow | null, now: number): number {
  if (!window || window.resetAt <= now) return 0;
  if (window.remaining > reserveFor(window.limit)) return 0;
  return Math.min(window.resetAt - now, MAX_RATE_WAIT_MS);
}

/**
 * The wait a 429 asks for: until the reset it names, else one fallback window. A reset already
 * past by our clock (skew) still gets a short pause rather than an immediate second 429.
 */
export function rateLimitedWaitMs(resetAt: number | undefined, now: number): number {
  if (resetAt === undefined) return RATE_LIMIT_FALLBACK_MS;
  return Math.min(Math.max(MIN_RATE_LIMITED_WAIT_MS, resetAt - now), MAX_RATE_WAIT_MS);
}

/** The window an observation describes, if it describes one (401s carry no headers). */
export function windowFromObservation(obs: RateObservation, now: number): RateWindow | null {
  if (obs.status === 429) {
    const resetAt = now + rateLimitedWaitMs(obs.resetAt, now);
    return { limit: obs.limit ?? null, remaining: 0, resetAt };
  }
  if (obs.remaining === undefined || obs.resetAt === undefined) return null;
  return { limit: obs.limit ?? null, remaining: obs.remaining, resetAt: obs.resetAt };
}

/**
 * A later (or any, once ours has ended) window replaces ours; within one window the lower
 * remaining wins, because answers to concurrent requests arrive in any order and every one of
 * them was counted.
 */
export function mergeWindows(current: RateWindow | null, next: RateWindow | null, now: number): RateWindow | null {
  if (!next) return current;
  if (!current || current.resetAt <= now || next.resetAt > current.resetAt) return next;
  if (next.resetAt < current.resetAt) return current;
  return { limit: next.limit ?? current.limit, remaining: Math.min(current.remaining, next.remaining), resetAt: current.resetAt };
}

export function jitter(maxMs: number): number {
  return Math.floor(Math.random() * maxMs);
}

/**
 * Pre-request wait shared by every budget: counts the request against the window so concurrent
 * callers in one process do not all spend the last request.
 */
export async function holdForWindow(
  state: { window: RateWindow | null },
  sleep: (ms: number) => Promise<void>,
): Promise<boolean> {
  const waitMs = waitBeforeRequestMs(state.window, Date.now());
  if (waitMs > 0) {
    // Jitter spreads the callers that all woke at the reset.
    await sleep(waitMs + jitter(PRE_WAIT_JITTER_MS));
    return true;
  }
  if (state.window && state.window.resetAt > Date.now()) state.window.remaining--;
  return false;
}

/** One client's own view of the window: for tokens without a workspace yet (OAuth) and scripts. */
export function createLocalRateBudget(): RateBudget {
  const state: { window: RateWindow | null } = { window: null };
  return {
    acquire: (sleep) => holdForWindow(state, sleep),
    observe: async (obs) => {
      const now = Date.now();
      state.window = mergeWindows(state.window, windowFromObservation(obs, now), now);
    },
  };
}
