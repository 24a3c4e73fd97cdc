import type { IntercomClient } from "@/lib/intercom/client";
import type { ContactFields } from "@/lib/intercom/decode-thread";
import type { IntercomContact, SearchFilter, SearchRequest } from "@/lib/intercom/schemas";

export const PER_PAGE = 150;

export interface SearchPage {
  contacts: IntercomContact[];
  /** Cursor of the page after this one; undefined on the last page. */
  next: string | undefined;
  /** Intercom's total_count for the whole query (the progress bar's denominator). */
  totalCount: number | undefined;
}

/**
 * Walks a contact search oldest-update-first, one page at a time (nothing accumulates in memory).
 * Every request repeats the full query, sort and page size (traps C04); the walk continues only
 * while Intercom hands back `pages.next.starting_after`, never on row counts, and a null cursor
 * is never sent. `startAfter` resumes a walk from a checkpointed cursor.
 *
 * With `readAhead`, from the second page on the next page is requested as soon as its cursor is
 * known, while the caller is still applying this one: a long walk then costs about
 * max(HTTP, database) per page rather than their sum. The first page is left alone because
 * callers decide on it (strategy, estimate); a walk stopped later wastes one request. An error
 * reaches the caller when it asks for that page, exactly as without read-ahead.
 *
 * With `fields`, contacts carry their core fields and those attributes only (see
 * IntercomClient.searchContacts): what a sync applies, read off the main thread.
 */
export async function* searchContactPages(
  client: IntercomClient,
  query: SearchFilter,
  opts: { startAfter?: string; readAhead?: boolean; fields?: ContactFields } = {},
): AsyncGenerator<SearchPage> {
  // `ahead`: the walk will ask for the page after this one as soon as this one arrives.
  const fetchPage = (cursor: string | undefined, ahead: boolean) => {
    const request: SearchRequest = {
      query,
      sort: { field: "updated_at", order: "ascending" },
      pagination: cursor ? { per_page: PER_PAGE, starting_after: cursor } : { per_page: PER_PAGE },
    };
    return client.searchContacts(request, opts.fields, { readNext: ahead });
  };
  let cursor = opts.startAfter || undefined;
  let pending = fetchPage(cursor, false);
  for (let first = true; ; first = false) {
    const page = await pending;
    const next = page.pages?.next?.starting_after || undefined;
    if (next !== undefined && next === cursor) throw new Error("Intercom returned the same page cursor twice; stopping the walk");
    const ahead = opts.readAhead === true && !first;
    if (next !== undefined && ahead) {
      pending = fetchPage(next, true);
      // Observed when the caller asks for the page; until then it must not count as unhandled.
      pending.catch(() => {});
    }
    yield { contacts: page.data, next, totalCount: page.total_count };
    if (next === undefined) return;
    if (!ahead) pending = fetchPage(next, opts.readAhead === true);
    cursor = next;
  }
}

/** Every contact with one of these emails (or ids), however many pages that takes. */
export function inFilter(field: "email" | "id", values: string[]): SearchFilter {
  return { field, operator: "IN", value: values };
}

/** What applying a page reads of its contacts besides their core fields: the mapped attributes. */
export function mappedFields(mappings: Array<{ intercomAttribute: string }>): ContactFields {
  return { attributes: mappings.map((m) => m.intercomAttribute) };
}
