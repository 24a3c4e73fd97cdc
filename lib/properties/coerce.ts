import { storableText } from "@/lib/text/storable";
import type { PropertyType } from "./types";

export type PropertyValue = string | number | boolean | null;
export type CoerceResult = { ok: true; value: PropertyValue } | { ok: false; reason: string };

// Unix seconds between 1970 and 2100; anything else is a unit mistake (ms, or not a date).
const MAX_DATE_SECONDS = 4_102_444_800;

/** Intercom value (from a contact) -> the stored value of a property of `type`. Missing and null both mean unset. */
export function coerceIntercomValue(raw: unknown, type: PropertyType): CoerceResult {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  switch (type) {
    case "text":
      // A NUL cannot be stored; it shows as U+FFFD, as it does when a webhook brings the value.
      if (typeof raw === "string") return { ok: true, value: storableText(raw) };
      if (typeof raw === "number" || typeof raw === "boolean") return { ok: true, value: String(raw) };
      return fail(raw, "text");
    case "number":
      if (typeof raw === "number" && Number.isFinite(raw)) return { ok: true, value: raw };
      if (typeof raw === "string" && raw.trim() !== "" && Number.isFinite(Number(raw))) return { ok: true, value: Number(raw) };
      return fail(raw, "a number");
    case "boolean":
      if (typeof raw === "boolean") return { ok: true, value: raw };
      if (raw === "true" || raw === "false") return { ok: true, value: raw === "true" };
      return fail(raw, "true or false");
    case "date": {
      const seconds = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_DATE_SECONDS) return { ok: true, value: seconds };
      return fail(raw, "a date (Unix seconds)");
    }
  }
}

function fail(raw: unknown, expected: string): CoerceResult {
  return { ok: false, reason: `Intercom value ${shown(raw)} is not ${expected}` };
}

/** The value as quoted in a sync error, short and storable. */
function shown(raw: unknown): string {
  return storableText(typeof raw === "string" ? `"${raw.slice(0, 60)}"` : JSON.stringify(raw)?.slice(0, 60) ?? String(raw));
}

/** Reads an attribute from a contact by its full_name: "email", "location.city", "custom_attributes.plan". */
export function readContactAttribute(contact: Record<string, unknown>, fullName: string): unknown {
  if (fullName.startsWith("custom_attributes.")) {
    const custom = contact.custom_attributes as Record<string, unknown> | undefined;
    return custom?.[fullName.slice("custom_attributes.".length)];
  }
  let current: unknown = contact;
  for (const part of fullName.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function formatPropertyValue(value: PropertyValue, type: PropertyType): string {
  if (value === null) return "—";
  if (type === "date" && typeof value === "number") return new Date(value * 1000).toISOString().slice(0, 10);
  if (type === "boolean") return value ? "Yes" : "No";
  if (type === "number" && typeof value === "number") return value.toLocaleString("en-US");
  return String(value);
}
