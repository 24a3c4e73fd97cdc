import { describe, expect, it } from "vitest";
import { explainPick } from "./explain-pick";

const contact = (contactId: string, role: string, updatedAt: number, externalId: string | null = null) => ({
  contactId,
  role,
  externalId,
  updatedAt,
});

describe("explainPick", () => {
  it("names the role rule when a user beat a newer lead", () => {
    const candidates = [contact("L1", "lead", 1714500000), contact("U1", "user", 1714400000, "42")];
    expect(explainPick("U1", candidates, "42")).toBe("user_over_lead");
  });

  it("names the external id rule between two users", () => {
    const candidates = [contact("U1", "user", 1714500000), contact("U2", "user", 1714400000, "sub_9")];
    expect(explainPick("U2", candidates, "sub_9")).toBe("external_id");
  });

  it("names recency when role and external id do not decide", () => {
    const candidates = [contact("U1", "user", 1714500000), contact("U2", "user", 1714400000)];
    expect(explainPick("U1", candidates, null)).toBe("most_recent");
  });

  it("says the tie was broken by id when the contacts are indistinguishable", () => {
    const candidates = [contact("U1", "user", 1714500000), contact("U2", "user", 1714500000)];
    expect(explainPick("U1", candidates, null)).toBe("tie_break");
  });

  it("falls back to the general rules when the candidates are not known", () => {
    expect(explainPick("U1", [], null)).toBe("unknown");
    expect(explainPick(null, [contact("U1", "user", 1)], null)).toBe("unknown");
  });
});
