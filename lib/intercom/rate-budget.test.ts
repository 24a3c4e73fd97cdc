import { describe, expect, it } from "vitest";
import {
  MAX_RATE_WAIT_MS,
  RATE_LIMIT_FALLBACK_MS,
  createLocalRateBudget,
  mergeWindows,
  rateLimitedWaitMs,
  reserveFor,
  waitBeforeRequestMs,
  windowFromObservation,
} from "./rate-budget";

const now = 1_714_557_600_000;

describe("rate budget decisions", () => {
  it("keeps 5% of the window (at least 2 requests) in reserve", () => {
    expect(reserveFor(1666)).toBe(84);
    expect(reserveFor(83)).toBe(5);
    expect(reserveFor(20)).toBe(2);
    expect(reserveFor(null)).toBe(2);
  });

  it("holds a request until the reset only once the window is down to its reserve", () => {
    const window = { limit: 100, remaining: 6, resetAt: now + 4_000 };
    expect(waitBeforeRequestMs(window, now)).toBe(0);
    expect(waitBeforeRequestMs({ ...window, remaining: 5 }, now)).toBe(4_000);
    expect(waitBeforeRequestMs({ ...window, remaining: 0, resetAt: now - 1 }, now)).toBe(0);
    expect(waitBeforeRequestMs({ ...window, remaining: 0, resetAt: now + 3_600_000 }, now)).toBe(MAX_RATE_WAIT_MS);
    expect(waitBeforeRequestMs(null, now)).toBe(0);
  });

  it("waits for a 429's reset, or a fallback window when the header is missing", () => {
    expect(rateLimitedWaitMs(now + 7_000, now)).toBe(7_000);
    expect(rateLimitedWaitMs(undefined, now)).toBe(RATE_LIMIT_FALLBACK_MS);
    expect(rateLimitedWaitMs(now - 5_000, now)).toBe(1_000);
    expect(windowFromObservation({ status: 429 }, now)).toEqual({ limit: null, remaining: 0, resetAt: now + RATE_LIMIT_FALLBACK_MS });
    expect(windowFromObservation({ status: 401 }, now)).toBeNull();
  });

  it("merges answers that arrive out of order: later window wins, same window keeps the lowest remaining", () => {
    const w = { limit: 20, remaining: 10, resetAt: now + 5_000 };
    expect(mergeWindows(w, { ...w, remaining: 12 }, now)).toEqual(w);
    expect(mergeWindows(w, { ...w, remaining: 3 }, now)?.remaining).toBe(3);
    expect(mergeWindows(w, { limit: 20, remaining: 19, resetAt: now + 15_000 }, now)?.remaining).toBe(19);
    expect(mergeWindows(w, { limit: 20, remaining: 19, resetAt: now - 5_000 }, now)).toEqual(w);
    // Our window ended (a fallback guess after a header-less 429): any newer answer replaces it.
    expect(mergeWindows({ ...w, resetAt: now - 1 }, { limit: 20, remaining: 19, resetAt: now - 2 }, now)?.remaining).toBe(19);
  });

  it("a local budget counts in-flight requests so concurrent callers stop at the reserve", async () => {
    const budget = createLocalRateBudget();
    await budget.observe({ status: 200, limit: 20, remaining: 4, resetAt: Date.now() + 60_000 });
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    expect(await budget.acquire(sleep)).toBe(false);
    expect(await budget.acquire(sleep)).toBe(false);
    expect(await budget.acquire(sleep)).toBe(true);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(50_000);
  });
});
