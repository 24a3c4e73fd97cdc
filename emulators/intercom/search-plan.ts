// Recognises the search shapes a sync sends at scale, so they are answered from indexes instead of
// a scan: a date range on the sort field (`updated_at > T`, sorted by updated_at) and email or id
// lookups. Queries reach here already validated by compileQuery; anything else falls back to a scan.

import { startOfDay, startOfNextDay } from "./day-boundaries";
import { isPlainObject } from "./http-io";
import type { EmulatorStore } from "./store";

export interface Range {
  lo: number;
  hi: number;
}

/** [lo, hi) of `field` when the query is only date filters on it, alone or ANDed. */
export function rangeOnField(query: unknown, field: string, timeZone: string): Range | undefined {
  if (!isPlainObject(query)) return undefined;
  if ("field" in query) return filterRange(query, field, timeZone);
  if (query.operator !== "AND" || !Array.isArray(query.value)) return undefined;
  let range: Range = { lo: -Infinity, hi: Infinity };
  for (const child of query.value) {
    const r = isPlainObject(child) && "field" in child ? filterRange(child, field, timeZone) : undefined;
    if (!r) return undefined;
    range = { lo: Math.max(range.lo, r.lo), hi: Math.min(range.hi, r.hi) };
  }
  return range;
}

/** Same day truncation as the predicate in search-query.ts. */
function filterRange(filter: Record<string, unknown>, field: string, timeZone: string): Range | undefined {
  if (filter.field !== field || filter.value === null || filter.value === undefined) return undefined;
  const instant = Number(filter.value);
  switch (filter.operator) {
    case ">":
      return { lo: startOfNextDay(instant, timeZone), hi: Infinity };
    case "<":
      return { lo: -Infinity, hi: startOfDay(instant, timeZone) };
    case "=":
      return { lo: startOfDay(instant, timeZone), hi: startOfNextDay(instant, timeZone) };
    default:
      return undefined;
  }
}

/**
 * Contact numbers that can match: a superset the full predicate still filters. Known for
 * `email`/`id` with `=` or `IN`, an AND with one such child, or an OR made only of them.
 */
export function candidateNumbers(query: unknown, store: EmulatorStore): number[] | undefined {
  if (!isPlainObject(query)) return undefined;
  if ("field" in query) {
    const { field, operator, value } = query;
    const values = operator === "=" ? [value] : operator === "IN" && Array.isArray(value) ? value : undefined;
    if (!values?.every((v): v is string => typeof v === "string")) return undefined;
    if (field === "email") return unique(values.flatMap((v) => store.numbersForEmail(v)));
    if (field === "id") return unique(values.flatMap((v) => store.numberOf(v) ?? []));
    return undefined;
  }
  const children = Array.isArray(query.value) ? query.value.map((child) => candidateNumbers(child, store)) : [];
  const known = children.filter((c): c is number[] => c !== undefined);
  if (query.operator === "AND" && known.length > 0) return known.reduce((a, b) => (b.length < a.length ? b : a));
  if (query.operator === "OR" && known.length > 0 && known.length === children.length) return unique(known.flat());
  return undefined;
}

function unique(numbers: number[]): number[] {
  return [...new Set(numbers)];
}
