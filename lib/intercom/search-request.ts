import type { SearchFilter, SearchRequest } from "./schemas";

// 2.16's limits on a contact search (API-NOTES §3.3). Intercom answers a query past them with a
// 400, and some malformed ones with a bare 500 that looks retryable (traps C05): checked here, a
// bad query fails at once, in tests too, and never reaches Intercom.
export const MAX_GROUP_DEPTH = 2;
export const MAX_FILTERS_PER_GROUP = 15;
export const MAX_PER_PAGE = 150;

/** What is wrong with a search request, or null when Intercom will accept its shape. */
export function searchRequestProblem(request: SearchRequest): string | null {
  const query = filterProblem(request.query, 0);
  if (query) return query;
  const perPage = request.pagination?.per_page;
  if (perPage !== undefined && (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE)) {
    return `per_page must be a whole number from 1 to ${MAX_PER_PAGE}, not ${perPage}`;
  }
  if (request.pagination && "starting_after" in request.pagination && !request.pagination.starting_after) {
    return "starting_after must be a cursor from pages.next; leave it out for the first page";
  }
  return null;
}

function filterProblem(filter: SearchFilter, depth: number): string | null {
  if (!("field" in filter)) {
    if (depth >= MAX_GROUP_DEPTH) return `filters can be nested at most ${MAX_GROUP_DEPTH} levels deep`;
    if (filter.value.length === 0) return `an ${filter.operator} group needs at least one filter`;
    if (filter.value.length > MAX_FILTERS_PER_GROUP) {
      return `an ${filter.operator} group can hold at most ${MAX_FILTERS_PER_GROUP} filters, not ${filter.value.length}`;
    }
    for (const child of filter.value) {
      const problem = filterProblem(child, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if ((filter.operator === "IN" || filter.operator === "NIN") && filter.value.length === 0) {
    return `${filter.operator} on ${filter.field} needs at least one value`;
  }
  if (filter.field === "updated_at" || filter.field === "created_at") {
    if (!Number.isInteger(filter.value) || (filter.value as number) < 0) return `${filter.field} takes Unix seconds, not ${filter.value}`;
  }
  return null;
}
