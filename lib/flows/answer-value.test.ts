import { describe, expect, it } from "vitest";
import { optionValue, truncateForIntercom } from "./answer-value";

describe("optionValue", () => {
  it("sends the reason code when one is set, else the option text", () => {
    expect(optionValue({ text: "It's too expensive", reasonCode: "too_expensive" })).toBe("too_expensive");
    expect(optionValue({ text: "Something else", reasonCode: null })).toBe("Something else");
    expect(optionValue({ text: "Something else", reasonCode: "  " })).toBe("Something else");
  });
});

describe("truncateForIntercom", () => {
  it("keeps 255 characters untouched and cuts the 256th", () => {
    expect(truncateForIntercom("a".repeat(255))).toEqual({ value: "a".repeat(255), truncated: false });
    expect(truncateForIntercom("a".repeat(256))).toEqual({ value: "a".repeat(255), truncated: true });
  });

  it("drops an emoji that straddles the limit whole instead of splitting it", () => {
    const text = `${"a".repeat(254)}👍🏽 more`;
    const { value, truncated } = truncateForIntercom(text);
    expect(truncated).toBe(true);
    expect(value).toBe("a".repeat(254));
    expect(value.isWellFormed()).toBe(true);
  });
});
