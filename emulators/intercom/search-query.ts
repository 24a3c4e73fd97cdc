// Validates a contact search query the way 2.16 does (operators per field type, nesting and group
// limits) and turns it into a predicate. Timestamp filters are day-truncated in the workspace
// timezone, which is the behaviour behind traps C01.

import { invalid } from "./api-error";
import { startOfDay, startOfNextDay } from "./day-boundaries";
import { isPlainObject } from "./http-io";
import { CASE_INSENSITIVE_FIELDS, fieldTypeOf, fieldValueOf, type FieldType } from "./search-fields";
import type { EmulatorStore } from "./store";
import type { ContactObject } from "./types";

export type Predicate = (c: ContactObject) => boolean;

const MAX_GROUP_DEPTH = 2;
const MAX_FILTERS_PER_GROUP = 15;

const OPERATORS_BY_TYPE: Record<FieldType, readonly string[]> = {
  string: ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"],
  boolean: ["=", "!=", "IN", "NIN"],
  integer: ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="],
  float: ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="],
  date: ["=", "<", ">"],
  tag: ["=", "!="],
};

export interface CompileContext {
  store: EmulatorStore;
  timeZone: string;
  caseInsensitiveEmail: boolean;
}

export function compileQuery(query: unknown, ctx: CompileContext): Predicate {
  if (query === undefined || query === null) throw invalid("query is required");
  return compileNode(query, 0, ctx);
}

function compileNode(node: unknown, depth: number, ctx: CompileContext): Predicate {
  if (!isPlainObject(node)) throw invalid("Each query must be an object with field/operator/value or operator/value");
  if ("field" in node) return compileFilter(node, ctx);
  const { operator, value } = node;
  if (operator !== "AND" && operator !== "OR") {
    throw invalid(`Invalid operator '${String(operator)}' for a group of filters. Must be one of: AND, OR`);
  }
  if (depth >= MAX_GROUP_DEPTH) throw invalid(`Filters can be nested at most ${MAX_GROUP_DEPTH} levels deep`);
  if (!Array.isArray(value) || value.length === 0) throw invalid(`An ${operator} group needs a non-empty array of filters`);
  if (value.length > MAX_FILTERS_PER_GROUP) {
    throw invalid(`An ${operator} group can contain at most ${MAX_FILTERS_PER_GROUP} filters; got ${value.length}`);
  }
  const parts = value.map((child) => compileNode(child, depth + 1, ctx));
  return operator === "AND" ? (c) => parts.every((p) => p(c)) : (c) => parts.some((p) => p(c));
}

function compileFilter(node: Record<string, unknown>, ctx: CompileContext): Predicate {
  const { field, operator, value } = node;
  if (typeof field !== "string") throw invalid("field must be a string");
  const type = fieldTypeOf(field, ctx.store);
  if (!type) throw invalid(`'${field}' is not a searchable contact field`);
  if (typeof operator !== "string" || !OPERATORS_BY_TYPE[type].includes(operator)) {
    throw invalid(
      `Operator '${String(operator)}' is not supported for ${type} field '${field}'. ` +
        `Supported operators: ${OPERATORS_BY_TYPE[type].join(", ")}`,
    );
  }
  const listOperator = operator === "IN" || operator === "NIN";
  if (listOperator) {
    if (!Array.isArray(value) || value.length === 0) throw invalid(`Operator '${operator}' needs a non-empty array value`);
    for (const v of value) checkScalar(v, type, field);
  } else if (value === null) {
    if (operator !== "=" && operator !== "!=") throw invalid(`A null value can only be used with = or != on '${field}'`);
  } else {
    if (Array.isArray(value)) throw invalid(`Operator '${operator}' needs a single value, not an array`);
    checkScalar(value, type, field);
  }
  const caseless = ctx.caseInsensitiveEmail && CASE_INSENSITIVE_FIELDS.has(field);
  const get = (c: ContactObject) => fieldValueOf(c, field);

  if (type === "date") return compileDateFilter(get, operator, value, ctx.timeZone);
  if (type === "tag") {
    const has: Predicate = (c) => (get(c) as string[]).includes(String(value));
    return operator === "=" ? has : (c) => !has(c);
  }

  const norm = (v: unknown): unknown => (caseless && typeof v === "string" ? v.toLowerCase() : v);
  const equals = (c: ContactObject, expected: unknown): boolean => {
    const actual = get(c);
    if (expected === null) return actual === null;
    return norm(actual) === norm(expected);
  };
  const text = (c: ContactObject): string | null => {
    const v = get(c);
    return typeof v === "string" ? v.toLowerCase() : null;
  };
  const needle = typeof value === "string" ? value.toLowerCase() : "";
  const num = (c: ContactObject): number | null => {
    const v = get(c);
    return typeof v === "number" ? v : null;
  };
  const bound = value as number;

  switch (operator) {
    case "=":
      return (c) => equals(c, value);
    case "!=":
      return (c) => !equals(c, value);
    case "IN":
      return (c) => (value as unknown[]).some((v) => equals(c, v));
    case "NIN":
      return (c) => !(value as unknown[]).some((v) => equals(c, v));
    case "~":
      return (c) => text(c)?.includes(needle) ?? false;
    case "!~":
      return (c) => !(text(c)?.includes(needle) ?? false);
    case "^":
      return (c) => text(c)?.startsWith(needle) ?? false;
    case "$":
      return (c) => text(c)?.endsWith(needle) ?? false;
    case "<":
      return (c) => (num(c) ?? Infinity) < bound;
    case ">":
      return (c) => (num(c) ?? -Infinity) > bound;
    case "<=":
      return (c) => (num(c) ?? Infinity) <= bound;
    case ">=":
      return (c) => (num(c) ?? -Infinity) >= bound;
    default:
      throw invalid(`Unsupported operator '${operator}'`);
  }
}

function compileDateFilter(
  get: (c: ContactObject) => unknown,
  operator: string,
  value: unknown,
  timeZone: string,
): Predicate {
  if (value === null) return (c) => get(c) === null;
  const instant = Number(value);
  const dayStart = startOfDay(instant, timeZone);
  const nextDayStart = startOfNextDay(instant, timeZone);
  const at = (c: ContactObject): number | null => {
    const v = get(c);
    return typeof v === "number" ? v : null;
  };
  switch (operator) {
    case ">":
      return (c) => (at(c) ?? -Infinity) >= nextDayStart;
    case "<":
      return (c) => (at(c) ?? Infinity) < dayStart;
    default: {
      return (c) => {
        const v = at(c);
        return v !== null && v >= dayStart && v < nextDayStart;
      };
    }
  }
}

function checkScalar(value: unknown, type: FieldType, field: string): void {
  const ok =
    type === "string" || type === "tag"
      ? typeof value === "string"
      : type === "boolean"
        ? typeof value === "boolean"
        : type === "integer"
          ? Number.isInteger(value)
          : type === "float"
            ? typeof value === "number" && Number.isFinite(value)
            : // The spec's own request example sends a date as a digit string.
              Number.isInteger(value) || (typeof value === "string" && /^\d{1,12}$/.test(value));
  if (!ok) {
    const expected = type === "date" ? "a Unix timestamp in seconds" : type === "tag" ? "a string" : `a ${type}`;
    throw invalid(`The value for '${field}' must be ${expected}; got ${JSON.stringify(value)}`);
  }
}
