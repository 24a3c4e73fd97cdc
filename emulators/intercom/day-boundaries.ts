// Search truncates timestamps to a calendar day in the workspace timezone (API-NOTES §3.3), so the
// emulator needs the instant at which a local day starts, DST included.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(unixSeconds: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(unixSeconds * 1000))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Offset of the zone from UTC at that instant, in seconds (New York in winter: -18000). */
function offsetSeconds(unixSeconds: number, timeZone: string): number {
  const p = localParts(unixSeconds, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000;
  return asUtc - unixSeconds;
}

/** The instant local midnight of the given calendar date happens in the zone. */
function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const wallClock = Date.UTC(year, month - 1, day) / 1000;
  // Two passes settle the offset when midnight sits next to a DST switch.
  let guess = wallClock - offsetSeconds(wallClock, timeZone);
  guess = wallClock - offsetSeconds(guess, timeZone);
  return guess;
}

export function startOfDay(unixSeconds: number, timeZone: string): number {
  const p = localParts(unixSeconds, timeZone);
  return localMidnight(p.year, p.month, p.day, timeZone);
}

/** Start of the following local day; days are 23 or 25 hours long across DST changes. */
export function startOfNextDay(unixSeconds: number, timeZone: string): number {
  const p = localParts(unixSeconds, timeZone);
  const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}
