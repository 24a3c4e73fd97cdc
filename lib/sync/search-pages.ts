import type { IntercomClient } from "@/lib/intercom/client";
import type { IntercomContact, SearchFilter, SearchRequest } from "@/lib/intercom/schemas";

export const PER_PAGE = 150;

/**
 * Walks a contact search oldest-update-first, one page at a time (nothing accumulates in memory).
 * Every request repeats the full query, sort and page size (traps C04); the walk continues only
 * while Intercom hands back `pages.next.starting_after`, never on row counts, and a null cursor
 * is never sent.
 */
export async function* searchContactPages(
  client: IntercomClient,
  query: SearchFilter,
): AsyncGenerator<{ contacts: IntercomContact[]; hasMore: boolean }> {
  let cursor: string | undefined;
  for (;;) {
    const request: SearchRequest = {
      query,
      sort: { field: "updated_at", order: "ascending" },
      pagination: cursor ? { per_page: PER_PAGE, starting_after: cursor } : { per_page: PER_PAGE },
    };
    const page = await client.searchContacts(request);
    const next = page.pages?.next?.starting_after || undefined;
    if (next !== undefined && next === cursor) throw new Error("Intercom returned the same page cursor twice; stopping the walk");
    yield { contacts: page.data, hasMore: next !== undefined };
    if (next === undefined) return;
    cursor = next;
  }
}
