// Checks custom attribute writes before anything is stored: Intercom rejects the whole update when
// one key is bad (traps C12/C16), so validation runs over every key first.

import { invalid } from "./api-error";
import { isPlainObject } from "./http-io";
import type { EmulatorStore } from "./store";
import type { CustomValue } from "./types";

export interface ValueRules {
  /** Reject strings longer than this; undefined = no limit (the 255 limit is unverified). */
  maxStringLength?: number;
}

export function validateCustomAttributes(
  input: unknown,
  store: EmulatorStore,
  rules: ValueRules,
): Record<string, CustomValue> {
  if (input === null || input === undefined) return {};
  if (!isPlainObject(input)) throw invalid("custom_attributes must be an object");
  const out: Record<string, CustomValue> = {};
  for (const [name, value] of Object.entries(input)) {
    const attribute = store.customAttribute(name);
    if (!attribute || attribute.archived) throw invalid(`Custom attribute '${name}' does not exist`);
    // Empty string clears a value just like null does (API-NOTES §3.5).
    if (value === null || value === "") {
      out[name] = null;
      continue;
    }
    if (typeof value === "object") {
      throw invalid(`Custom attribute '${name}' must be a string, number or boolean, not ${Array.isArray(value) ? "an array" : "an object"}`);
    }
    const typeError = () => invalid(`Custom attribute '${name}' is of type ${attribute.data_type}; got ${JSON.stringify(value)}`);
    switch (attribute.data_type) {
      case "string":
        if (typeof value !== "string") throw typeError();
        if (rules.maxStringLength !== undefined && [...value].length > rules.maxStringLength) {
          throw invalid(`Custom attribute '${name}' is longer than ${rules.maxStringLength} characters`);
        }
        if (attribute.options && !attribute.options.includes(value)) {
          throw invalid(`'${value}' is not an option for custom attribute '${name}'. Options: ${attribute.options.join(", ")}`);
        }
        break;
      case "integer":
        if (!Number.isSafeInteger(value)) throw typeError();
        break;
      case "float":
        if (typeof value !== "number" || !Number.isFinite(value)) throw typeError();
        break;
      case "boolean":
        if (typeof value !== "boolean") throw typeError();
        break;
      case "date":
        if (!Number.isSafeInteger(value)) {
          throw invalid(`Custom attribute '${name}' is a date and needs a Unix timestamp in seconds; got ${JSON.stringify(value)}`);
        }
        break;
    }
    out[name] = value as CustomValue;
  }
  return out;
}
