import { describe, expect, it } from "vitest";
import { PROPERTY_KEY_MAX, PROPERTY_KEY_PATTERN, slugifyPropertyKey } from "./property-key";

describe("slugifyPropertyKey", () => {
  it.each([
    ["Plan name", "plan_name"],
    ["  Lifetime value (USD) ", "lifetime_value_usd"],
    ["Renewal-date", "renewal_date"],
    ["Crème brûlée", "creme_brulee"],
    ["2024 score", "p_2024_score"],
    ["!!!", "property"],
  ])("%s -> %s", (name, key) => {
    expect(slugifyPropertyKey(name)).toBe(key);
    expect(key).toMatch(PROPERTY_KEY_PATTERN);
  });

  it("stays within the key length limit without a trailing underscore", () => {
    const key = slugifyPropertyKey(`${"a".repeat(63)} b`);
    expect(key.length).toBeLessThanOrEqual(PROPERTY_KEY_MAX);
    expect(key).toMatch(PROPERTY_KEY_PATTERN);
    expect(key.endsWith("_")).toBe(false);
  });
});
