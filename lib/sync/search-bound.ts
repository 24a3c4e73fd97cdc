export const DAY_SECONDS = 86_400;

/**
 * The T for a search `updated_at > T` that returns every contact updated at or after `floor`.
 *
 * 2.16 truncates date filters to whole days in the workspace timezone and `> T` then starts at
 * the local midnight after T's day (traps C01), so T must fall on a local day before the floor's:
 * the last second before the floor's local day begins. `floor - 1 day` is not that: after a
 * 25-hour day (DST ending) it can land on the floor's own day and skip up to an hour.
 * Without a usable timezone, two days back is on an earlier local day in any zone, DST included.
 */
export function searchBoundBefore(floor: number, timeZone: string | null): number {
  const localDayOf = localDayReader(timeZone);
  if (!localDayOf) return floor - 2 * DAY_SECONDS;
  const floorDay = localDayOf(floor);
  // Bisect on "which local day" rather than doing offset arithmetic, so any clock change (an hour,
  // half an hour, one at midnight) lands T exactly on the second before the floor's day.
  let before = floor - 2 * DAY_SECONDS;
  let onFloorDay = floor;
  while (onFloorDay - before > 1) {
    const mid = before + Math.ceil((onFloorDay - before) / 2);
    if (localDayOf(mid) < floorDay) before = mid;
    else onFloorDay = mid;
  }
  return before;
}

type LocalDayReader = (unixSeconds: number) => number;

const readers = new Map<string, LocalDayReader>();

/** Reads an instant's calendar date in the zone as yyyymmdd; null for a missing or unknown zone. */
function localDayReader(timeZone: string | null): LocalDayReader | null {
  if (!timeZone) return null;
  const cached = readers.get(timeZone);
  if (cached) return cached;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone, calendar: "gregory", year: "numeric", month: "numeric", day: "numeric" });
  } catch {
    return null;
  }
  const reader: LocalDayReader = (unixSeconds) => {
    let yyyymmdd = 0;
    for (const p of format.formatToParts(unixSeconds * 1000)) {
      if (p.type === "year") yyyymmdd += Number(p.value) * 10_000;
      else if (p.type === "month") yyyymmdd += Number(p.value) * 100;
      else if (p.type === "day") yyyymmdd += Number(p.value);
    }
    return yyyymmdd;
  };
  readers.set(timeZone, reader);
  return reader;
}
