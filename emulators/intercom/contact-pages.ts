import { encodeCursor, type Cursor, type SortValue } from "./pagination-cursor";
import type { ContactObject } from "./types";

export type SortOrder = "ascending" | "descending";

export interface PageRequest {
  perPage: number;
  cursor?: Cursor;
  sortKey: string;
  order: SortOrder;
}

export interface ContactListBody {
  type: "list";
  data: ContactObject[];
  total_count: number;
  pages: {
    type: "pages";
    next?: { page: number; starting_after: string };
    page: number;
    per_page: number;
    total_pages: number;
  };
}

/** A row's sort key: its sort value, then its id. */
export interface Keyed {
  value: SortValue;
  id: string;
}

function compareNonNull(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Total order on (value, id); missing values sort last whichever way the sort runs. */
function compareKeyed(a: Keyed, b: Keyed, order: SortOrder): number {
  const dir = order === "ascending" ? 1 : -1;
  if (a.value === null || b.value === null) {
    if (a.value !== b.value) return a.value === null ? 1 : -1;
  } else {
    const byValue = compareNonNull(a.value, b.value);
    if (byValue !== 0) return dir * byValue;
  }
  return dir * compareNonNull(a.id, b.id);
}

/** The list envelope around one page; `last` is the page's last row when more rows follow. */
export function listBody(
  data: ContactObject[],
  req: PageRequest,
  total: number,
  last: Keyed | undefined,
): ContactListBody {
  const page = req.cursor?.page ?? 1;
  return {
    type: "list",
    data,
    total_count: total,
    pages: {
      type: "pages",
      ...(last
        ? { next: { page: page + 1, starting_after: encodeCursor({ sortValue: last.value, id: last.id, page: page + 1, sortKey: req.sortKey }) } }
        : {}),
      page,
      per_page: req.perPage,
      total_pages: Math.ceil(total / req.perPage),
    },
  };
}

/** Sorts every matching row and cuts the page after the cursor (for small candidate sets and scans). */
export function paginateKeyed<T extends Keyed>(items: T[], req: PageRequest): { slice: T[]; total: number; last: T | undefined } {
  items.sort((x, y) => compareKeyed(x, y, req.order));
  const cursor = req.cursor;
  const start = cursor ? firstIndexAfter(items, { value: cursor.sortValue, id: cursor.id }, req.order) : 0;
  const slice = items.slice(start, start + req.perPage);
  const hasMore = start + req.perPage < items.length;
  return { slice, total: items.length, last: hasMore ? slice[slice.length - 1] : undefined };
}

function firstIndexAfter(keys: Keyed[], cursor: Keyed, order: SortOrder): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeyed(keys[mid] as Keyed, cursor, order) > 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
