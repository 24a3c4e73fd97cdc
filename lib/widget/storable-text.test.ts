import { describe, expect, it } from "vitest";
import { isStorableText } from "./storable-text";

describe("isStorableText", () => {
  it("accepts any well-formed text, astral characters and joiners included", () => {
    for (const text of ["", "price", "👩🏽‍💻", "e\u0301", "\u202eevil", "𝕏".repeat(100), "\ud83d\ude00"]) expect(isStorableText(text)).toBe(true);
  });

  it("refuses NUL and unpaired high or low surrogates wherever they are", () => {
    for (const text of ["\u0000", "a\u0000b", "\ud83d", "x\ud83d", "\ude00x", "\ude00\ud83d", "ok\ud83d\ude00\ud83d"]) {
      expect(isStorableText(text)).toBe(false);
    }
  });
});
