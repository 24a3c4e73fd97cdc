import { describe, expect, it } from "vitest";
import { hashState, stateMatchesBrowser } from "./oauth-state";

describe("stateMatchesBrowser", () => {
  it("accepts only the exact state this browser was given", () => {
    expect(stateMatchesBrowser("abc", "abc")).toBe(true);
    expect(stateMatchesBrowser("abc", "abd")).toBe(false);
    expect(stateMatchesBrowser("abc", "abcabc")).toBe(false);
  });

  it("rejects a callback when the browser has no state cookie", () => {
    expect(stateMatchesBrowser("abc", undefined)).toBe(false);
    expect(stateMatchesBrowser("abc", null)).toBe(false);
    expect(stateMatchesBrowser("abc", "")).toBe(false);
  });
});

describe("hashState", () => {
  it("stores a digest, never the state itself", () => {
    const state = "Zx9-state";
    expect(hashState(state)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashState(state)).not.toContain(state);
  });
});
