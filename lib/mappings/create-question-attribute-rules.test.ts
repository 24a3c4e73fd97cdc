import { describe, expect, it } from "vitest";
import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import { attributeNameFor, attributeSpecFor, capLevel, countCustomAttributes } from "./create-question-attribute-rules";

// What Intercom accepts as a name: letters, digits, spaces, underscores, hyphens; never "." or "$".
const VALID_NAME = /^[\p{L}\p{N} _-]+$/u;

describe("attributeNameFor", () => {
  it("turns the prompt into a short, valid snake_case name", () => {
    const name = attributeNameFor("What's the main reason you're cancelling? (be honest: $$$, v2.0)", []);
    expect(name).toBe("whats_the_main_reason_youre_cancelling");
    expect(name).toMatch(VALID_NAME);
    expect(name.length).toBeLessThanOrEqual(40);
    expect(attributeNameFor("Évaluez-nous", [])).toBe("evaluez_nous");
  });

  it("shortens by whole words and never ends on a dangling little word", () => {
    expect(attributeNameFor("How likely are you to recommend us to a friend?", [])).toBe("how_likely_are_you_to_recommend");
    // A prompt that fits keeps every word, little ones included.
    expect(attributeNameFor("What could we have done better for you?", [])).toBe("what_could_we_have_done_better_for_you");
  });

  it("never reuses a taken name, whatever its case, and always returns something", () => {
    expect(attributeNameFor("Rate us", ["rate_us", "RATE_US_2"])).toBe("rate_us_3");
    expect(attributeNameFor("🙂 ?", [])).toBe("cancellation_answer");
    expect(attributeNameFor("a".repeat(80), [])).toHaveLength(40);
    const long = attributeNameFor("a".repeat(80), ["a".repeat(40)]);
    expect(long).toHaveLength(40);
    expect(long.endsWith("_2")).toBe(true);
  });
});

describe("attributeSpecFor", () => {
  it("makes a list attribute of the values answers send: codes, else texts", () => {
    const result = attributeSpecFor(
      {
        id: "q",
        kind: "multiple_choice",
        prompt: "Why are you leaving?",
        options: [
          { text: "Too expensive", reasonCode: "too_expensive" },
          { text: "Something else", reasonCode: null },
        ],
      },
      [],
    );
    expect(result).toEqual({
      ok: true,
      spec: {
        name: "why_are_you_leaving",
        data_type: "options",
        description: "Holdfast cancellation survey: Why are you leaving?",
        options: [{ value: "too_expensive" }, { value: "Something else" }],
      },
    });
  });

  it("makes text for free text and integer for ratings", () => {
    expect(attributeSpecFor({ id: "q", kind: "free_text", prompt: "Anything else?", options: [] }, [])).toMatchObject({
      ok: true,
      spec: { name: "anything_else", data_type: "string" },
    });
    expect(attributeSpecFor({ id: "q", kind: "rating", prompt: "Rate us", options: [] }, [])).toMatchObject({
      ok: true,
      spec: { data_type: "integer" },
    });
  });

  it("refuses a choice question with fewer than two distinct values", () => {
    const one = attributeSpecFor({ id: "q", kind: "multiple_choice", prompt: "Why?", options: [{ text: "A", reasonCode: null }] }, []);
    expect(one.ok).toBe(false);
  });
});

describe("custom attribute cap", () => {
  const attr = (over: Partial<IntercomDataAttribute>): IntercomDataAttribute => ({
    type: "data_attribute",
    name: "x",
    full_name: "custom_attributes.x",
    data_type: "string",
    api_writable: true,
    custom: true,
    archived: false,
    model: "contact",
    ...over,
  });

  it("counts active custom contact attributes only", () => {
    expect(countCustomAttributes([attr({}), attr({ archived: true }), attr({ custom: false }), attr({ model: "company" })])).toBe(1);
  });

  it("warns from 240 and is full at 250", () => {
    expect(capLevel(239)).toBe("ok");
    expect(capLevel(240)).toBe("warning");
    expect(capLevel(249)).toBe("warning");
    expect(capLevel(250)).toBe("full");
  });
});
