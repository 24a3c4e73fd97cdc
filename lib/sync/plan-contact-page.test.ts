import { describe, expect, it } from "vitest";
import type { IntercomContact } from "@/lib/intercom/schemas";
import { footprintsOverlap, latestById, pageFootprint, planContactPage, propertyValueRows, type PageState } from "./plan-contact-page";

const contact = (id: string, email: string | null, updatedAt: number, role = "user"): IntercomContact => ({
  type: "contact",
  id,
  role,
  email,
  updated_at: updatedAt,
  custom_attributes: { seats: "12" },
});

const subscriber = (id: string, emailKey: string, intercomContactId: string | null = null): PageState["affected"][number] => ({
  id,
  emailKey,
  externalId: null,
  intercomContactId,
  intercomMatch: intercomContactId ? "matched" : "none",
  intercomCandidates: intercomContactId ? 1 : 0,
});

describe("planContactPage", () => {
  it("links a subscriber to the page's contact with its email and takes its values from it", () => {
    const page = [contact("c1", " Ana@Example.com", 100), contact("c2", "nobody@example.com", 100)];
    const plan = planContactPage(page, { known: [], affected: [subscriber("s1", "ana@example.com")], stored: [] });
    expect(plan.candidates.map((c) => c.contactId)).toEqual(["c1"]);
    expect(plan.links).toEqual([{ id: "s1", contactId: "c1", match: "matched", candidates: 1, relinked: true }]);
    expect(plan.valueSources.map((v) => [v.subscriberId, v.contact.id])).toEqual([["s1", "c1"]]);
    expect(plan.notCandidates).toEqual([]);
  });

  it("picks across candidates stored from earlier pages: a user read earlier beats a lead on this page", () => {
    const page = [contact("lead", "dana@example.com", 200, "lead")];
    const plan = planContactPage(page, {
      known: [],
      affected: [subscriber("s1", "dana@example.com", "user")],
      stored: [{ contactId: "user", emailKey: "dana@example.com", role: "user", externalId: null, updatedAt: 100 }],
    });
    expect(plan.links).toEqual([{ id: "s1", contactId: "user", match: "ambiguous", candidates: 2, relinked: false }]);
    // The chosen contact is not on this page and did not change: nothing to read again.
    expect(plan.valueSources).toEqual([]);
    expect(plan.refetch).toEqual([]);
  });

  it("a stored contact whose email moved away stops being a candidate, and its subscriber is relinked to what is left", () => {
    const page = [contact("c1", "new-address@example.com", 300)];
    const plan = planContactPage(page, {
      known: [{ contactId: "c1", emailKey: "ana@example.com", updatedAt: 100 }],
      affected: [{ ...subscriber("s1", "ana@example.com", "c1"), intercomMatch: "ambiguous", intercomCandidates: 2 }],
      stored: [
        { contactId: "c1", emailKey: "ana@example.com", role: "user", externalId: null, updatedAt: 100 },
        { contactId: "c0", emailKey: "ana@example.com", role: "lead", externalId: null, updatedAt: 50 },
      ],
    });
    expect(plan.notCandidates).toEqual([{ contactId: "c1", updatedAt: 300 }]);
    expect(plan.links).toEqual([{ id: "s1", contactId: "c0", match: "matched", candidates: 1, relinked: true }]);
    // c0 is not on this page: its values must be read by id.
    expect(plan.refetch).toEqual([{ subscriberId: "s1", contactId: "c0" }]);
  });

  it("a version older than the stored one changes nothing (a late webhook, a page read twice)", () => {
    const page = [contact("c1", "other@example.com", 50)];
    const plan = planContactPage(page, {
      known: [{ contactId: "c1", emailKey: "ana@example.com", updatedAt: 100 }],
      affected: [subscriber("s1", "ana@example.com", "c1")],
      stored: [{ contactId: "c1", emailKey: "ana@example.com", role: "user", externalId: null, updatedAt: 100 }],
    });
    expect(plan).toMatchObject({ candidates: [], notCandidates: [], links: [], valueSources: [], skippedStale: 1 });
  });

  it("counts contacts without a usable email and never matches them", () => {
    const plan = planContactPage([contact("c1", null, 1), contact("c2", "   ", 1)], { known: [], affected: [], stored: [] });
    expect(plan).toMatchObject({ withoutEmail: 2, candidates: [], links: [] });
  });
});

describe("latestById", () => {
  it("keeps the newest version of a contact that moved while paging", () => {
    expect(latestById([contact("c1", "a@x.io", 1), contact("c1", "b@x.io", 2), contact("c2", "c@x.io", 1)]).map((c) => c.email)).toEqual([
      "b@x.io",
      "c@x.io",
    ]);
  });
});

describe("propertyValueRows", () => {
  it("coerces each mapped attribute, and a value that does not fit becomes an error naming the attribute", () => {
    const mappings = [
      { propertyId: "p1", intercomAttribute: "custom_attributes.seats", intercomLabel: "Seats", propertyType: "number" as const },
      { propertyId: "p2", intercomAttribute: "custom_attributes.seats", intercomLabel: "Seats", propertyType: "boolean" as const },
    ];
    const { values, errors } = propertyValueRows(mappings, [{ subscriberId: "s1", contact: contact("c1", "a@x.io", 7) }]);
    expect(values).toEqual([
      { subscriber_id: "s1", property_id: "p1", value: 12, source_contact_id: "c1", source_attribute: "custom_attributes.seats", source_updated_at: 7 },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ subscriber_id: "s1", property_id: "p2", contact_id: "c1" });
    expect(errors[0]!.message).toMatch(/^Seats: /);
  });
});

describe("pageFootprint and footprintsOverlap", () => {
  const empty: PageState = { known: [], affected: [], stored: [] };
  const footprint = (page: IntercomContact[], state: PageState = empty) => pageFootprint(page, state);

  it("keeps apart pages that share no contact, subscriber or email", () => {
    const a = footprint([contact("c1", "ana@example.com", 1)], { ...empty, affected: [subscriber("s1", "ana@example.com")] });
    const b = footprint([contact("c2", "bo@example.com", 2)], { ...empty, affected: [subscriber("s2", "bo@example.com")] });
    expect(footprintsOverlap(a, b)).toBe(false);
  });

  it("overlaps on one email, however it is spelled on the page", () => {
    const a = footprint([contact("c1", "ana@example.com", 1, "lead")]);
    expect(footprintsOverlap(a, footprint([contact("c2", " ANA@example.com", 2)]))).toBe(true);
  });

  it("overlaps on a contact that moved to a later page, and on a contact's previous email", () => {
    const a = footprint([contact("c1", "ana@example.com", 1)]);
    expect(footprintsOverlap(a, footprint([contact("c1", "new@example.com", 5)]))).toBe(true);
    const moved = footprint([contact("c9", "new@example.com", 5)], { ...empty, known: [{ contactId: "c9", emailKey: "ana@example.com", updatedAt: 1 }] });
    expect(footprintsOverlap(a, moved)).toBe(true);
  });

  it("overlaps on a subscriber linked to a contact of the other page, or a stored candidate's email", () => {
    const a = footprint([contact("c1", "ana@example.com", 1)]);
    const linked = footprint([contact("c3", "cy@example.com", 2)], { ...empty, affected: [subscriber("s3", "cy@example.com", "c1")] });
    expect(footprintsOverlap(a, linked)).toBe(true);
    const stored = footprint([contact("c4", "di@example.com", 2)], {
      ...empty,
      stored: [{ contactId: "c5", emailKey: "ana@example.com", role: "lead", externalId: null, updatedAt: 0 }],
    });
    expect(footprintsOverlap(a, stored)).toBe(true);
  });

  it("leaves contacts without an email out of the emails", () => {
    expect(footprintsOverlap(footprint([contact("c1", null, 1)]), footprint([contact("c2", null, 1)]))).toBe(false);
  });
});
