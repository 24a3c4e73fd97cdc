import type { SearchFilter } from "@/lib/intercom/schemas";
import { searchBoundBefore } from "./search-bound";

// Contacts can surface in search minutes after their updated_at (index lag, traps C02), so the
// watermark trails both the newest contact seen and the clock by this much.
export const SAFETY_LAG_SECONDS = 300;

/** Every contact: 2.16 search needs a filter, and `updated_at > 0` holds for all of them. */
export const ALL_CONTACTS_QUERY: SearchFilter = { field: "updated_at", operator: ">", value: 0 };

/** Oldest updated_at an incremental run must still apply: the watermark minus the lag. */
export function incrementalFloor(watermark: number): number {
  return watermark - SAFETY_LAG_SECONDS;
}

/**
 * 2.16 filters dates by whole days in the workspace timezone (traps C01): the search starts at the
 * local midnight that begins the floor's day, and the exact comparison happens locally.
 */
export function incrementalQuery(watermark: number, timeZone: string | null): SearchFilter {
  return { field: "updated_at", operator: ">", value: Math.max(0, searchBoundBefore(incrementalFloor(watermark), timeZone)) };
}

/**
 * The next watermark: the newest updated_at this run fully processed, never later than now minus
 * the lag (never from the wall clock alone), and never moving backwards.
 */
export function nextWatermark(previous: number | null, maxSeen: number | null, nowSeconds: number): number | null {
  if (maxSeen === null) return previous;
  const candidate = Math.min(maxSeen, nowSeconds - SAFETY_LAG_SECONDS);
  return previous === null ? candidate : Math.max(previous, candidate);
}
