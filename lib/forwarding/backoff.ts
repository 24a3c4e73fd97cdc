/**
 * After this many sends that Intercom refused or never received (5xx, network) a delivery is given
 * up as failed. Timeouts never give up: the write may have landed (see write-contact).
 */
export const MAX_ATTEMPTS = 8;

const BASE_MS = 30_000;
const CAP_MS = 60 * 60_000;
/** Used when a 429 names no reset: one of Intercom's 10-second windows. */
const RATE_LIMIT_FALLBACK_MS = 10_000;
const RATE_LIMIT_JITTER_MS = 2_000;

/**
 * Exponential backoff with full jitter on top of half the step, so a burst of failures from one
 * Intercom outage does not come back as one burst. Rate limits wait at least Intercom's reset.
 */
export function retryDelayMs(attempts: number, minimumMs = 0, random = Math.random): number {
  const step = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
  const delay = step / 2 + random() * (step / 2);
  return Math.max(minimumMs, Math.round(delay));
}

/**
 * When to write again after a 429: Intercom's reset plus jitter, so the workspace's queued
 * answers (and other workers) do not all come back in the same millisecond.
 */
export function rateLimitRetryAt(retryAfterMs: number | undefined, now = Date.now(), random = Math.random): Date {
  return new Date(now + (retryAfterMs ?? RATE_LIMIT_FALLBACK_MS) + Math.round(random() * RATE_LIMIT_JITTER_MS));
}

/** A subscriber not yet linked to an Intercom contact is re-checked this often (the sync may link it). */
export const NO_CONTACT_RETRY_MS = 5 * 60_000;
