import { describe, expect, it } from "vitest";
import { startOfDay, startOfNextDay } from "@/emulators/intercom/day-boundaries";
import { DAY_SECONDS, searchBoundBefore } from "./search-bound";

// Expected bounds were worked out with Python's zoneinfo, independently of Intl.
describe("searchBoundBefore: the last second before the floor's local day", () => {
  it.each([
    // [zone, floor (local wall clock), floor, bound (local wall clock), bound]
    ["UTC", "2024-05-01 10:00", 1_714_557_600, "2024-04-30 23:59:59", 1_714_521_599],
    ["America/New_York", "2024-11-03 23:30 EST, the last hour of a 25-hour day", 1_730_694_600, "2024-11-02 23:59:59 EDT", 1_730_606_399],
    ["America/New_York", "2024-11-03 01:30 EDT, the first of the repeated hour", 1_730_611_800, "2024-11-02 23:59:59 EDT", 1_730_606_399],
    ["America/New_York", "2024-11-03 01:30 EST, the second of the repeated hour", 1_730_615_400, "2024-11-02 23:59:59 EDT", 1_730_606_399],
    ["America/New_York", "2024-11-04 00:30 EST, the day after", 1_730_698_200, "2024-11-03 23:59:59 EST", 1_730_696_399],
    ["America/New_York", "2024-03-10 03:00 EDT, right after the skipped hour", 1_710_054_000, "2024-03-09 23:59:59 EST", 1_710_046_799],
    ["America/New_York", "2024-03-10 12:00 EDT, a 23-hour day", 1_710_086_400, "2024-03-09 23:59:59 EST", 1_710_046_799],
    ["America/New_York", "2024-03-11 00:30 EDT, the day after", 1_710_131_400, "2024-03-10 23:59:59 EDT", 1_710_129_599],
    ["Europe/London", "2024-10-27 23:30 GMT, a 25-hour day", 1_730_071_800, "2024-10-26 23:59:59 BST", 1_729_983_599],
    ["Europe/London", "2024-03-31 12:00 BST, a 23-hour day", 1_711_882_800, "2024-03-30 23:59:59 GMT", 1_711_843_199],
    ["Asia/Kolkata", "2024-05-01 15:30 IST (+05:30)", 1_714_557_600, "2024-04-30 23:59:59 IST", 1_714_501_799],
    ["Australia/Lord_Howe", "2024-04-07 23:50 +10:30, a day half an hour long", 1_712_496_000, "2024-04-06 23:59:59 +11", 1_712_408_399],
    ["Australia/Lord_Howe", "2024-10-06 12:00 +11, half an hour short", 1_728_176_400, "2024-10-05 23:59:59 +10:30", 1_728_134_999],
    ["Pacific/Chatham", "2024-04-07 23:50 +12:45, a 25-hour day", 1_712_487_900, "2024-04-06 23:59:59 +13:45", 1_712_398_499],
    ["America/Santiago", "2024-09-08 12:00 -03, whose midnight is skipped", 1_725_807_600, "2024-09-07 23:59:59 -04", 1_725_767_999],
    ["America/Santiago", "2024-04-07 12:00 -04, whose midnight repeats an hour", 1_712_505_600, "2024-04-06 23:59:59 -04", 1_712_462_399],
  ])("%s, floor %s -> %s", (zone, _floorLocal, floor, _boundLocal, bound) => {
    expect(searchBoundBefore(floor, zone)).toBe(bound);
  });

  it("fixes the day-overlap gap: floor - 1 day stays on a 25-hour day, the bound does not", () => {
    const floor = 1_730_694_600; // 2024-11-03 23:30 EST
    const zone = "America/New_York";
    expect(startOfNextDay(floor - DAY_SECONDS, zone)).toBe(floor + 1_800);
    expect(startOfNextDay(searchBoundBefore(floor, zone), zone)).toBe(startOfDay(floor, zone));
  });

  // Against the emulator's model of 2.16 (`> T` starts at the local midnight after T's day): the
  // search starts exactly at the floor's local midnight, for every quarter hour around clock changes.
  it.each([
    ["America/New_York", 1_730_520_000],
    ["America/New_York", 1_709_960_400],
    ["Europe/London", 1_729_900_800],
    ["Asia/Kolkata", 1_714_500_000],
    ["Australia/Lord_Howe", 1_712_300_000],
    ["Pacific/Chatham", 1_712_300_000],
    ["America/Santiago", 1_725_700_000],
    ["UTC", 1_714_500_000],
  ])("%s: the search starts at the floor's local midnight across three days from %i", (zone, from) => {
    for (let floor = from; floor < from + 3 * DAY_SECONDS; floor += 900) {
      expect(startOfNextDay(searchBoundBefore(floor, zone), zone)).toBe(startOfDay(floor, zone));
    }
  });

  it.each([
    ["no timezone", null],
    ["an empty timezone", ""],
    ["an unknown timezone", "Mars/Olympus_Mons"],
  ])("with %s, goes back two days: an earlier local day in any zone", (_label, zone) => {
    const floor = 1_730_694_600;
    expect(searchBoundBefore(floor, zone)).toBe(floor - 2 * DAY_SECONDS);
    for (const anyZone of ["Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York", "Pacific/Chatham"]) {
      expect(startOfNextDay(searchBoundBefore(floor, zone), anyZone)).toBeLessThanOrEqual(startOfDay(floor, anyZone));
    }
  });
});
