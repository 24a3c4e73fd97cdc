import { describe, expect, it } from "vitest";
import { cronMatches, parseCron } from "./schedule";

const at = (iso: string) => new Date(iso);

describe("cron schedule", () => {
  it("fires every five minutes for */5", () => {
    const s = parseCron("*/5 * * * *");
    expect(cronMatches(s, at("2026-12-03T10:05:30Z"))).toBe(true);
    expect(cronMatches(s, at("2026-12-03T10:07:00Z"))).toBe(false);
  });

  it("handles lists, ranges and days of the week", () => {
    const s = parseCron("0,30 9-17 * * 1-5");
    expect(cronMatches(s, at("2026-12-03T09:30:00Z"))).toBe(true); // Thursday
    expect(cronMatches(s, at("2026-12-05T09:30:00Z"))).toBe(false); // Saturday
    expect(cronMatches(s, at("2026-12-03T18:00:00Z"))).toBe(false);
  });

  it("rejects malformed schedules with the offending field", () => {
    expect(() => parseCron("* * *")).toThrow(/5 fields/);
    expect(() => parseCron("61 * * * *")).toThrow(/"61"/);
  });
});
