import { describe, expect, it } from "vitest";
import { searchBoundBefore } from "./search-bound";
import { incrementalFloor, incrementalQuery, nextWatermark, SAFETY_LAG_SECONDS } from "./watermark";

describe("incremental sync window", () => {
  // Traps C01: watermark 2024-05-01 10:00 UTC, a contact updated 15:00 the same day.
  const watermark = 1_714_557_600;

  it("queries from the day before the floor's in the workspace timezone, because search truncates dates to days", () => {
    expect(incrementalQuery(watermark, "UTC")).toEqual({ field: "updated_at", operator: ">", value: 1_714_521_599 }); // 2024-04-30 23:59:59 UTC
    expect(incrementalQuery(watermark, "America/New_York")).toEqual({ field: "updated_at", operator: ">", value: 1_714_535_999 }); // 2024-04-30 23:59:59 EDT
    expect(incrementalQuery(watermark, null).value).toBe(searchBoundBefore(incrementalFloor(watermark), null));
  });

  it("never asks for a negative bound", () => {
    expect(incrementalQuery(SAFETY_LAG_SECONDS + 60, "UTC").value).toBe(0);
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
