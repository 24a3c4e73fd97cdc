import { describe, expect, it } from "vitest";
import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import { checkQuestionMapping, isWritableCustomAttribute, type MappableQuestion } from "./question-mappings-rules";

const attr = (over: Partial<IntercomDataAttribute>): IntercomDataAttribute => ({
  type: "data_attribute",
  model: "contact",
  name: "cancel_reason",
  full_name: "custom_attributes.cancel_reason",
  label: "Cancel reason",
  data_type: "string",
  api_writable: true,
  custom: true,
  archived: false,
  ...over,
});

const choice: MappableQuestion = {
  id: "q1",
  kind: "multiple_choice",
  prompt: "Why?",
  options: [
    { text: "Too expensive", reasonCode: "price" },
    { text: "Missing feature", reasonCode: null },
  ],
};
const freeText: MappableQuestion = { id: "q2", kind: "free_text", prompt: "Tell us more", options: [] };
const rating: MappableQuestion = { id: "q3", kind: "rating", prompt: "Rate us", options: [] };

describe("checkQuestionMapping", () => {
  it("accepts text answers into string attributes and ratings into numbers", () => {
    expect(checkQuestionMapping(choice, attr({}), "cancel_reason")).toBeNull();
    expect(checkQuestionMapping(freeText, attr({}), "cancel_reason")).toBeNull();
    expect(checkQuestionMapping(rating, attr({ data_type: "integer" }), "x")).toBeNull();
    expect(checkQuestionMapping(rating, attr({ data_type: "float" }), "x")).toBeNull();
  });

  it("rejects type mismatches with the attribute's label and type", () => {
    expect(checkQuestionMapping(rating, attr({}), "x")).toMatch(/Rating answers are numbers, but "Cancel reason" is a string/);
    expect(checkQuestionMapping(choice, attr({ data_type: "integer" }), "x")).toMatch(/is a integer attribute/);
    expect(checkQuestionMapping(freeText, attr({ data_type: "boolean" }), "x")).toMatch(/Free-text answers are text/);
  });

  it("rejects list attributes whose options miss some answer values, naming them", () => {
    const list = attr({ options: ["price", "missing_feature"] });
    const message = checkQuestionMapping(choice, list, "cancel_reason");
    expect(message).toMatch(/"Missing feature"/);
    expect(message).not.toMatch(/"price"[^,]*would be rejected/);
    const fixed = { ...choice, options: [choice.options[0]!, { text: "Missing feature", reasonCode: "missing_feature" }] };
    expect(checkQuestionMapping(fixed, list, "cancel_reason")).toBeNull();
  });

  it("never maps free text into a list attribute", () => {
    expect(checkQuestionMapping(freeText, attr({ options: ["a", "b"] }), "x")).toMatch(/free-text answers can't be stored/);
  });

  it("rejects archived, read-only, standard and missing attributes", () => {
    expect(checkQuestionMapping(choice, attr({ archived: true }), "x")).toMatch(/archived/);
    expect(checkQuestionMapping(choice, attr({ api_writable: false }), "x")).toMatch(/read-only/);
    expect(checkQuestionMapping(choice, attr({ custom: false }), "x")).toMatch(/standard Intercom attribute/);
    expect(checkQuestionMapping(choice, undefined, "gone_attr")).toMatch(/no custom attribute named "gone_attr"/);
  });
});

describe("isWritableCustomAttribute", () => {
  it("keeps only custom, API-writable, unarchived contact attributes", () => {
    expect(isWritableCustomAttribute(attr({}))).toBe(true);
    expect(isWritableCustomAttribute(attr({ archived: true }))).toBe(false);
    expect(isWritableCustomAttribute(attr({ api_writable: false }))).toBe(false);
    expect(isWritableCustomAttribute(attr({ custom: false }))).toBe(false);
  });
});
