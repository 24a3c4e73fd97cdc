// Cursors mimic the real ones (base64 of a JSON array, e.g. `[-1,"5f22…",2]`): they carry the last
// row's sort key, so the next page is "strictly after" it in the *current* order. That is what
// makes a contact updated mid-paging jump pages, as it does in Intercom (traps C03).

export type SortValue = string | number | boolean | null;

export interface Cursor {
  sortValue: SortValue;
  id: string;
  page: number;
  /** "field:order" of the search that issued it; a later page must repeat the same sort. */
  sortKey: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sortValue, c.id, c.page, c.sortKey]), "utf8").toString("base64");
}

export function decodeCursor(raw: string): Cursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, "base64").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
    const [sortValue, id, page, sortKey] = parsed as unknown[];
    const okValue = sortValue === null || ["string", "number", "boolean"].includes(typeof sortValue);
    if (!okValue || typeof id !== "string" || typeof sortKey !== "string") return undefined;
    if (typeof page !== "number" || !Number.isInteger(page) || page < 2) return undefined;
    return { sortValue: sortValue as SortValue, id, page, sortKey };
  } catch {
    return undefined;
  }
}
