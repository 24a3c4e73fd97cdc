import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./backoff";

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
