import { describe, expect, it } from "vitest";
import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import { diagnosePropertyMapping, diagnoseQuestionMapping, mappingAlertSubject, mappingFixUrl } from "./mapping-health-rules";
import type { MappableQuestion } from "./question-mappings-rules";

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
const byFullName = (...list: IntercomDataAttribute[]) => new Map(list.map((a) => [a.full_name, a]));
const byName = (...list: IntercomDataAttribute[]) => new Map(list.map((a) => [a.name, a]));

const choice: MappableQuestion = {
  id: "q1",
  kind: "multiple_choice",
  prompt: "Why?",
  options: [
    { text: "Too expensive", reasonCode: "too_expensive" },
    { text: "Other", reasonCode: null },
  ],
};

describe("diagnosePropertyMapping", () => {
  const mapping = { intercomAttribute: "custom_attributes.cancel_reason", intercomDataType: "string" };

  it("is healthy when the attribute is there, active and of the saved type", () => {
    expect(diagnosePropertyMapping(mapping, byFullName(attr({})))).toBeNull();
    expect(diagnosePropertyMapping({ intercomAttribute: "email", intercomDataType: "string" }, byFullName(attr({ name: "email", full_name: "email", custom: false })))).toBeNull();
  });

  it("names deleted, archived and retyped attributes", () => {
    expect(diagnosePropertyMapping(mapping, byFullName())).toBe("deleted from Intercom");
    expect(diagnosePropertyMapping(mapping, byFullName(attr({ archived: true })))).toBe("archived in Intercom");
    expect(diagnosePropertyMapping(mapping, byFullName(attr({ data_type: "integer" })))).toBe("type changed from string to integer");
  });
});

describe("diagnoseQuestionMapping", () => {
  const listMapping = { intercomAttribute: "cancel_reason", intercomDataType: "string", intercomOptions: ["too_expensive", "Other"] };

  it("is healthy while the list still offers every answer value, even with options added", () => {
    expect(diagnoseQuestionMapping(listMapping, choice, byName(attr({ options: ["too_expensive", "Other"] })))).toBeNull();
    expect(diagnoseQuestionMapping(listMapping, choice, byName(attr({ options: ["too_expensive", "Other", "new"] })))).toBeNull();
  });

  it("names deleted, archived and retyped attributes before anything else", () => {
    expect(diagnoseQuestionMapping(listMapping, choice, byName())).toBe("deleted from Intercom");
    expect(diagnoseQuestionMapping(listMapping, choice, byName(attr({ archived: true, options: ["x"] })))).toBe("archived in Intercom");
    expect(diagnoseQuestionMapping(listMapping, choice, byName(attr({ data_type: "float" })))).toBe("type changed from string to float");
  });

  it("breaks when a list attribute drops an answer value, naming the value", () => {
    const reason = diagnoseQuestionMapping(listMapping, choice, byName(attr({ options: ["too_expensive", "something_else"] })));
    expect(reason).toMatch(/^options changed in Intercom: .*"Other"/);
    expect(reason).not.toMatch(/rejected: .*"too_expensive"/);
  });

  it("breaks a text mapping whose attribute became a list, and an attribute made read-only", () => {
    const textMapping = { intercomAttribute: "cancel_reason", intercomDataType: "string", intercomOptions: null };
    const free: MappableQuestion = { id: "q2", kind: "free_text", prompt: "More?", options: [] };
    expect(diagnoseQuestionMapping(textMapping, free, byName(attr({ options: ["a", "b"] })))).toMatch(/^became a list attribute in Intercom/);
    expect(diagnoseQuestionMapping(textMapping, free, byName(attr({ api_writable: false })))).toMatch(/read-only/);
  });
});

describe("alert subjects and fix links", () => {
  it("point at the right editor tab and row", () => {
    expect(mappingAlertSubject("property", "abc")).toBe("property-mapping:abc");
    expect(mappingAlertSubject("question", "abc")).toBe("question-mapping:abc");
    expect(mappingFixUrl("property", "abc")).toBe("/settings/integrations/intercom/properties#mapping-abc");
    expect(mappingFixUrl("question", "abc")).toBe("/settings/integrations/intercom/questions#mapping-abc");
  });
});
