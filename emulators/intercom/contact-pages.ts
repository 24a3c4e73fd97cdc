import { encodeCursor, type Cursor, type SortValue } from "./pagination-cursor";
import type { ContactObject } from "./types";

export type SortOrder = "ascending" | "descending";

export interface PageRequest {
  perPage: number;
  cursor?: Cursor;
  sortKey: string;
  order: SortOrder;
  sortValueOf: (c: ContactObject) => SortValue;
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

interface Keyed {
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

export function paginateContacts(items: ContactObject[], req: PageRequest): ContactListBody {
  const keyed = items.map((c) => ({ c, key: { value: req.sortValueOf(c), id: c.id } }));
  keyed.sort((x, y) => compareKeyed(x.key, y.key, req.order));
  const cursor = req.cursor;
  const start = cursor
    ? firstIndexAfter(keyed.map((k) => k.key), { value: cursor.sortValue, id: cursor.id }, req.order)
    : 0;
  const slice = keyed.slice(start, start + req.perPage);
  const page = cursor?.page ?? 1;
  const total = keyed.length;
  const last = slice[slice.length - 1];
  const hasMore = start + req.perPage < total;
  return {
    type: "list",
    data: slice.map((k) => k.c),
    total_count: total,
    pages: {
      type: "pages",
      ...(hasMore && last
        ? {
            next: {
              page: page + 1,
              starting_after: encodeCursor({ sortValue: last.key.value, id: last.key.id, page: page + 1, sortKey: req.sortKey }),
            },
          }
        : {}),
      page,
      per_page: req.perPage,
      total_pages: Math.ceil(total / req.perPage),
    },
  };
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
