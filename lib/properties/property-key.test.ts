import { describe, expect, it } from "vitest";
import { PROPERTY_KEY_MAX, PROPERTY_KEY_PATTERN, slugifyPropertyKey } from "./property-key";

describe("slugifyPropertyKey", () => {
  it.each([
    ["Plan name", "plan_name"],
    ["  Lifetime value (USD) ", "lifetime_value_usd"],
    ["Renewal-date", "renewal_date"],
    ["Crème brûlée", "creme_brulee"],
    ["2024 score", "p_2024_score"],
  ])("%s -> %s", (name, key) => {
    expect(slugifyPropertyKey(name)).toBe(key);
    expect(key).toMatch(PROPERTY_KEY_PATTERN);
  });

  it("gives names with nothing to slug a key of their own, the same one each time", () => {
    const keys = ["🔥🔥", "🔥", "Тариф", "!!!"].map(slugifyPropertyKey);
    for (const key of keys) expect(key).toMatch(/^property_[0-9a-z]+$/);
    expect(new Set(keys).size).toBe(keys.length);
    expect(slugifyPropertyKey(" 🔥🔥 ")).toBe(keys[0]);
  });

  it("stays within the key length limit without a trailing underscore", () => {
    const key = slugifyPropertyKey(`${"a".repeat(63)} b`);
    expect(key.length).toBeLessThanOrEqual(PROPERTY_KEY_MAX);
    expect(key).toMatch(PROPERTY_KEY_PATTERN);
    expect(key.endsWith("_")).toBe(false);
  });
});
