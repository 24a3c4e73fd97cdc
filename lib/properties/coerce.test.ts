import { describe, expect, it } from "vitest";
import { coerceIntercomValue, formatPropertyValue, readContactAttribute, type CoerceResult } from "./coerce";
import type { PropertyType } from "./types";

const ok = (value: unknown): CoerceResult => ({ ok: true, value: value as never });
const FAIL = "fail";

// One representative value of each Intercom data type, read into each property type.
const samples: Array<[dataType: string, raw: unknown, byType: Record<PropertyType, unknown>]> = [
  ["string", "Growth", { text: "Growth", number: FAIL, boolean: FAIL, date: FAIL }],
  ["integer", 42, { text: "42", number: 42, boolean: FAIL, date: 42 }],
  ["float", 12.5, { text: "12.5", number: 12.5, boolean: FAIL, date: FAIL }],
  ["boolean", true, { text: "true", number: FAIL, boolean: true, date: FAIL }],
  ["date", 1_714_557_600, { text: "1714557600", number: 1_714_557_600, boolean: FAIL, date: 1_714_557_600 }],
];

describe("coerceIntercomValue", () => {
  for (const [dataType, raw, byType] of samples) {
    for (const [type, want] of Object.entries(byType) as Array<[PropertyType, unknown]>) {
      it(`${dataType} ${JSON.stringify(raw)} -> ${type}: ${want === FAIL ? "rejected" : JSON.stringify(want)}`, () => {
        const result = coerceIntercomValue(raw, type);
        if (want === FAIL) expect(result).toMatchObject({ ok: false, reason: expect.stringContaining("Intercom value") });
        else expect(result).toEqual(ok(want));
      });
    }
  }

  it("treats null and a missing attribute as unset for every type", () => {
    for (const type of ["text", "number", "boolean", "date"] as const) {
      expect(coerceIntercomValue(null, type)).toEqual(ok(null));
      expect(coerceIntercomValue(undefined, type)).toEqual(ok(null));
    }
  });

  it("reads dates as Unix seconds and rejects milliseconds, ISO strings and out-of-range numbers", () => {
    expect(coerceIntercomValue(1_714_557_600, "date")).toEqual(ok(1_714_557_600));
    expect(coerceIntercomValue("1714557600", "date")).toEqual(ok(1_714_557_600));
    expect(coerceIntercomValue(4_102_444_800, "date")).toEqual(ok(4_102_444_800)); // 2100-01-01
    expect(coerceIntercomValue(4_102_444_801, "date").ok).toBe(false);
    expect(coerceIntercomValue(1_714_557_600_000, "date")).toMatchObject({ ok: false, reason: expect.stringContaining("Unix seconds") });
    expect(coerceIntercomValue("2024-05-01T10:00:00Z", "date").ok).toBe(false);
    expect(coerceIntercomValue(-1, "date").ok).toBe(false);
    expect(coerceIntercomValue(1_714_557_600.5, "date").ok).toBe(false);
  });

  it('accepts exactly "true" and "false" as booleans', () => {
    expect(coerceIntercomValue("true", "boolean")).toEqual(ok(true));
    expect(coerceIntercomValue("false", "boolean")).toEqual(ok(false));
    for (const raw of ["TRUE", "yes", "1", "", 1, 0]) expect(coerceIntercomValue(raw, "boolean").ok, JSON.stringify(raw)).toBe(false);
  });

  it("accepts numeric strings as numbers, nothing else", () => {
    expect(coerceIntercomValue("12", "number")).toEqual(ok(12));
    expect(coerceIntercomValue(" 3.5 ", "number")).toEqual(ok(3.5));
    for (const raw of ["12 seats", "", "  ", Number.NaN, Number.POSITIVE_INFINITY, true]) {
      expect(coerceIntercomValue(raw, "number").ok, String(raw)).toBe(false);
    }
  });

  it("never stores objects or arrays, and quotes the offending value in the reason", () => {
    expect(coerceIntercomValue({ a: 1 }, "text")).toEqual({ ok: false, reason: 'Intercom value {"a":1} is not text' });
    expect(coerceIntercomValue([1, 2], "number").ok).toBe(false);
    expect(coerceIntercomValue("lots", "number")).toEqual({ ok: false, reason: 'Intercom value "lots" is not a number' });
  });
});

describe("readContactAttribute", () => {
  const contact = {
    email: "ana@example.com",
    location: { city: "Lisbon", country: null },
    custom_attributes: { plan_name: "Scale", "Cancel reason": "price" },
  };

  it("reads standard, nested and custom attributes by full_name", () => {
    expect(readContactAttribute(contact, "email")).toBe("ana@example.com");
    expect(readContactAttribute(contact, "location.city")).toBe("Lisbon");
    expect(readContactAttribute(contact, "location.country")).toBeNull();
    expect(readContactAttribute(contact, "custom_attributes.plan_name")).toBe("Scale");
    // Custom names may contain dots or spaces: everything after the prefix is the name.
    expect(readContactAttribute(contact, "custom_attributes.Cancel reason")).toBe("price");
  });

  it("returns undefined for anything missing", () => {
    expect(readContactAttribute(contact, "custom_attributes.seats")).toBeUndefined();
    expect(readContactAttribute(contact, "location.city.name")).toBeUndefined();
    expect(readContactAttribute({}, "custom_attributes.plan_name")).toBeUndefined();
  });
});

describe("formatPropertyValue", () => {
  it("shows each type readably and unset as a dash", () => {
    expect(formatPropertyValue(null, "text")).toBe("—");
    expect(formatPropertyValue(1_714_557_600, "date")).toBe("2024-05-01");
    expect(formatPropertyValue(true, "boolean")).toBe("Yes");
    expect(formatPropertyValue(12500.5, "number")).toBe("12,500.5");
    expect(formatPropertyValue("Growth", "text")).toBe("Growth");
  });
});

describe("values Holdfast cannot store", () => {
  it("shows a NUL character in text as U+FFFD, and quotes a rejected value without one", () => {
    expect(coerceIntercomValue("bad\u0000value", "text")).toEqual({ ok: true, value: "bad\uFFFDvalue" });
    const number = coerceIntercomValue("12\u0000", "number");
    expect(number).toMatchObject({ ok: false, reason: expect.stringContaining('"12\uFFFD"') });
  });
});
