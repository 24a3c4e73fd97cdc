import { describe, expect, it } from "vitest";
import { DAY_SECONDS, incrementalFloor, incrementalQuery, nextWatermark, SAFETY_LAG_SECONDS } from "./watermark";

describe("incremental sync window", () => {
  // Traps C01: watermark 2024-05-01 10:00 UTC, a contact updated 15:00 the same day.
  const watermark = 1_714_557_600;

  it("queries from a day before the watermark, because search truncates dates to days", () => {
    expect(incrementalQuery(watermark)).toEqual({ field: "updated_at", operator: ">", value: watermark - SAFETY_LAG_SECONDS - DAY_SECONDS });
  });

  it("keeps locally everything from the watermark minus the lag", () => {
    expect(incrementalFloor(watermark)).toBe(watermark - SAFETY_LAG_SECONDS);
    const sameDayLater = 1_714_575_600;
    expect(sameDayLater >= incrementalFloor(watermark)).toBe(true);
  });
});

describe("nextWatermark", () => {
  const now = 1_714_600_000;

  it("is the newest updated_at seen", () => {
    expect(nextWatermark(null, 1_714_500_000, now)).toBe(1_714_500_000);
  });

  it("never runs ahead of now minus the lag (contacts may still be indexing)", () => {
    expect(nextWatermark(null, now + 60, now)).toBe(now - SAFETY_LAG_SECONDS);
    expect(nextWatermark(null, now - 10, now)).toBe(now - SAFETY_LAG_SECONDS);
  });

  it("stays put when nothing was seen, and never moves backwards", () => {
    expect(nextWatermark(1_714_500_000, null, now)).toBe(1_714_500_000);
    expect(nextWatermark(null, null, now)).toBeNull();
    expect(nextWatermark(1_714_500_000, 1_714_400_000, now)).toBe(1_714_500_000);
  });
});
