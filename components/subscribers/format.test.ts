import { describe, expect, it } from "vitest";
import { formatExact, formatMrr, formatRelative } from "./format";

describe("subscriber formatting", () => {
  const now = new Date("2024-05-01T12:00:00Z");

  it.each([
    [10, "just now"],
    [50, "50 seconds ago"],
    [5 * 60, "5 minutes ago"],
    [3 * 3600, "3 hours ago"],
    [86400, "yesterday"],
    [45 * 86400, "last month"],
    [400 * 86400, "last year"],
  ])("shows %i seconds ago as %s", (seconds, text) => {
    expect(formatRelative(new Date(now.getTime() - seconds * 1000), now)).toBe(text);
  });

  it("gives the exact time in UTC for the hover title", () => {
    expect(formatExact(now)).toBe("May 1, 2024, 12:00 PM UTC");
  });

  it("shows MRR from cents, or a dash when unknown", () => {
    expect(formatMrr(4900)).toBe("$49.00/mo");
    expect(formatMrr(null)).toBe("—");
  });
});
