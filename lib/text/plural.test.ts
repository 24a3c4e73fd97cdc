import { describe, expect, it } from "vitest";
import { countOf } from "./plural";

describe("countOf", () => {
  it("puts the noun in the singular for exactly one", () => {
    expect(countOf(1, "subscriber")).toBe("1 subscriber");
    expect(countOf(0, "subscriber")).toBe("0 subscribers");
    expect(countOf(1234, "value")).toBe("1,234 values");
    expect(countOf(2, "match", "matches")).toBe("2 matches");
  });
});
