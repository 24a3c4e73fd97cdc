import { describe, expect, it } from "vitest";
import { emailKey, pickContact, type ContactCandidate } from "./email";

describe("emailKey", () => {
  it("trims and lowercases", () => {
    expect(emailKey(" Dana@Example.COM ")).toBe("dana@example.com");
    expect(emailKey("\tUSER7@example.com\n")).toBe("user7@example.com");
    expect(emailKey("ÉLODIE@Exemple.FR")).toBe("élodie@exemple.fr");
  });

  it("keeps plus-tags and dots significant", () => {
    expect(emailKey("dana+billing@example.com")).toBe("dana+billing@example.com");
    expect(emailKey("dana+billing@example.com")).not.toBe(emailKey("dana@example.com"));
    expect(emailKey("d.ana@example.com")).not.toBe(emailKey("dana@example.com"));
  });

  it("never produces a key for missing or unusable emails", () => {
    for (const raw of [null, undefined, "", "   ", "dana", "@example.com", "dana@", "dana@ ", "nul\u0000@example.com", "da\nna@example.com", "dana@exa\u007fmple.com"]) {
      expect(emailKey(raw), JSON.stringify(raw)).toBeNull();
    }
  });

  it("normalises composed and decomposed accents to the same key", () => {
    expect(emailKey("e\u0301lodie@example.fr")).toBe(emailKey("\u00e9lodie@example.fr"));
  });
});

describe("pickContact", () => {
  const c = (contactId: string, role: string, updatedAt: number, externalId: string | null = null): ContactCandidate => ({
    contactId,
    role,
    updatedAt,
    externalId,
  });

  it("returns null without candidates", () => {
    expect(pickContact([])).toBeNull();
  });

  it("prefers a user over a more recently updated lead", () => {
    expect(pickContact([c("L1", "lead", 1_714_500_000), c("U1", "user", 1_714_400_000, "42")])?.contactId).toBe("U1");
  });

  it("among users, prefers the one whose external id is the subscriber's", () => {
    const candidates = [c("U1", "user", 300, "7"), c("U2", "user", 100, "42")];
    expect(pickContact(candidates, "42")?.contactId).toBe("U2");
    expect(pickContact(candidates, null)?.contactId).toBe("U1");
  });

  it("then the most recently updated", () => {
    expect(pickContact([c("U1", "user", 100), c("U2", "user", 200), c("U3", "user", 150)])?.contactId).toBe("U2");
  });

  it("breaks full ties on the id, whatever the order the candidates arrive in", () => {
    const a = c("aaa", "user", 100);
    const b = c("bbb", "user", 100);
    expect(pickContact([a, b])?.contactId).toBe(pickContact([b, a])?.contactId);
  });
});
