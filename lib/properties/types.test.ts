import { describe, expect, it } from "vitest";
import { intercomDataTypes } from "@/lib/intercom/schemas";
import { incompatibilityMessage, isCompatible, propertyTypeFor, propertyTypes } from "./types";

const expected: Record<string, string> = { string: "text", integer: "number", float: "number", boolean: "boolean", date: "date" };

describe("Intercom data type -> property type", () => {
  for (const dataType of intercomDataTypes) {
    for (const type of propertyTypes) {
      const ok = expected[dataType] === type;
      it(`${dataType} ${ok ? "fills" : "never fills"} a ${type} property`, () => {
        expect(isCompatible(dataType, type)).toBe(ok);
      });
    }
  }

  it("knows no property type for data types Holdfast cannot store", () => {
    expect(propertyTypeFor("datetime")).toBeNull(); // normalised to "date" when parsing responses
    expect(propertyTypeFor("options")).toBeNull();
    expect(isCompatible("list", "text")).toBe(false);
  });

  it("explains a mismatch with both sides and the type that would fit", () => {
    expect(incompatibilityMessage("Seats", "integer", "Plan", "text")).toBe(
      '"Seats" is integer in Intercom, so it can only fill a number property; "Plan" is text.',
    );
    expect(incompatibilityMessage("Tags", "list", "Plan", "text")).toBe('"Tags" has Intercom type list, which Holdfast cannot store.');
  });
});
