import { describe, expect, it } from "vitest";
import { contactListSchema, contactSchema } from "./schemas";

describe("contactSchema", () => {
  const contact = { type: "contact", id: "c1", role: "user", email: "a@example.com", updated_at: 5, browser: "Firefox", custom_attributes: null };

  it("checks the fields the sync relies on and keeps every other field as sent", () => {
    expect(contactSchema.parse({ ...contact })).toEqual({ ...contact, custom_attributes: {} });
  });

  it("names the contact and field that do not fit", () => {
    const result = contactListSchema.safeParse({ type: "list", data: [contact, { ...contact, updated_at: "soon" }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ["data", 1, "updated_at"], message: expect.stringMatching(/expected number/) })]);
  });

  it("parses a frozen object into a copy instead of throwing", () => {
    const frozen = Object.freeze({ ...contact });
    expect(contactSchema.parse(frozen)).toMatchObject({ id: "c1", browser: "Firefox", custom_attributes: {} });
  });
});
