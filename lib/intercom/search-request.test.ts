import { describe, expect, it } from "vitest";
import type { SearchFilter } from "./schemas";
import { searchRequestProblem } from "./search-request";

const email = (value: string): SearchFilter => ({ field: "email", operator: "=", value });

describe("searchRequestProblem (traps C04, C05)", () => {
  it("accepts what the sync sends: a day-bounded scan, email IN batches, and both together", () => {
    const scan: SearchFilter = { field: "updated_at", operator: ">", value: 1714471200 };
    const lookup: SearchFilter = { field: "email", operator: "IN", value: ["ana@example.com", "dana@example.com"] };
    expect(searchRequestProblem({ query: scan, pagination: { per_page: 150 } })).toBeNull();
    expect(searchRequestProblem({ query: { operator: "AND", value: [lookup, scan] }, pagination: { per_page: 150, starting_after: "WzE3" } })).toBeNull();
  });

  it("refuses groups nested deeper than two levels and groups of more than 15 filters", () => {
    const deep: SearchFilter = { operator: "AND", value: [{ operator: "OR", value: [{ operator: "AND", value: [email("a@x.io")] }] }] };
    expect(searchRequestProblem({ query: deep })).toMatch(/nested at most 2 levels/);
    const wide: SearchFilter = { operator: "OR", value: Array.from({ length: 16 }, (_, i) => email(`u${i}@x.io`)) };
    expect(searchRequestProblem({ query: wide })).toMatch(/at most 15 filters, not 16/);
    expect(searchRequestProblem({ query: { operator: "AND", value: [] } })).toMatch(/at least one filter/);
  });

  it("refuses an empty IN list, a date that is not Unix seconds, a page size over 150 and an empty cursor", () => {
    expect(searchRequestProblem({ query: { field: "id", operator: "IN", value: [] } })).toMatch(/needs at least one value/);
    expect(searchRequestProblem({ query: { field: "updated_at", operator: ">", value: 1714557600.5 } })).toMatch(/Unix seconds/);
    expect(searchRequestProblem({ query: email("a@x.io"), pagination: { per_page: 151 } })).toMatch(/1 to 150/);
    expect(searchRequestProblem({ query: email("a@x.io"), pagination: { per_page: 150, starting_after: "" } })).toMatch(/starting_after/);
  });
});
