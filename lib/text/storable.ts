// Postgres text and jsonb cannot hold U+0000, and JSON from outside (Intercom contacts, webhook
// bodies, error messages quoting them) can. One NUL must cost one value, never a whole page, run
// or notification.

const NUL = /\u0000/g;
const REPLACEMENT = "\uFFFD";

export function hasNul(value: string): boolean {
  return value.includes("\u0000");
}

/** For text kept as a record (ids used only as tie-breakers, messages): NUL becomes U+FFFD. */
export function storableText(value: string): string {
  return value.replace(NUL, REPLACEMENT);
}

/** A parsed JSON document made safe for a jsonb column: every NUL in keys and strings becomes U+FFFD. */
export function storableJson(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableJson(v)]));
  }
  return value;
}
