import { describe, expect, it } from "vitest";
import { hasNul, storableJson, storableText } from "./storable";

describe("storable text", () => {
  it("replaces NUL in text and leaves everything else as it was", () => {
    expect(storableText("a\u0000b\u0000")).toBe("a\uFFFDb\uFFFD");
    expect(storableText("café 😀 \"q\" \\")).toBe("café 😀 \"q\" \\");
    expect(hasNul("a\u0000")).toBe(true);
    expect(hasNul("a")).toBe(false);
  });

  it("cleans keys and strings at any depth of a JSON document, keeping its shape and other values", () => {
    const doc = { "k\u0000": ["x\u0000", 1, true, null, { deep: "y\u0000" }], n: 2.5 };
    expect(storableJson(doc)).toEqual({ "k\uFFFD": ["x\uFFFD", 1, true, null, { deep: "y\uFFFD" }], n: 2.5 });
  });
});
