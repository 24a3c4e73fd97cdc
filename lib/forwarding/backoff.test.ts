import { describe, expect, it } from "vitest";
import { rateLimitRetryAt, retryDelayMs } from "./backoff";

describe("retryDelayMs", () => {
  it("doubles the window with each attempt, jittered within its upper half", () => {
    expect(retryDelayMs(1, 0, () => 0)).toBe(15_000);
    expect(retryDelayMs(1, 0, () => 1)).toBe(30_000);
    expect(retryDelayMs(3, 0, () => 0)).toBe(60_000);
    expect(retryDelayMs(3, 0, () => 1)).toBe(120_000);
  });

  it("is capped at an hour", () => {
    expect(retryDelayMs(30, 0, () => 1)).toBe(3_600_000);
  });

  it("never retries sooner than Intercom's rate-limit reset", () => {
    expect(retryDelayMs(1, 45_000, () => 0)).toBe(45_000);
  });
});

describe("rateLimitRetryAt", () => {
  it("waits for Intercom's reset plus up to two seconds of jitter", () => {
    expect(rateLimitRetryAt(4_000, 1_000, () => 0).getTime()).toBe(5_000);
    expect(rateLimitRetryAt(4_000, 1_000, () => 1).getTime()).toBe(7_000);
  });

  it("waits one 10-second window when the 429 names no reset", () => {
    expect(rateLimitRetryAt(undefined, 0, () => 0).getTime()).toBe(10_000);
  });
});
