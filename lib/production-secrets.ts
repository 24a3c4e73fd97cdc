// What production refuses as a secret. Development, tests and the demo may use anything
// lib/env.ts accepts; a deployed server signs sessions, widget tokens and cron calls with these.

export const GENERATE_HINT = "generate one with `openssl rand -base64 32`";

// Published in this repository (.env.example, the Intercom emulator's defaults): anyone can sign with them.
const PUBLISHED = new Set([
  "change-me-to-a-long-random-string",
  "change-me-to-another-long-random-string",
  "holdfast-dev-secret",
  "unset-client-secret",
]);
const PLACEHOLDER = /change[-_ ]?me|replace[-_ ]?me|placeholder|your[-_ ]?secret/i;

// A random secret of this length has far more distinct characters than this; fewer means typed by hand.
const MIN_DISTINCT_CHARS = 10;
// 32 random bytes hold about 30 distinct values; a patterned key (00 11 22…, a repeated word) far fewer.
const MIN_DISTINCT_KEY_BYTES = 16;

/** Why `value` is unfit to be a production secret, or null. */
export function weakSecretProblem(value: string, minLength: number): string | null {
  const trimmed = value.trim();
  if (PUBLISHED.has(trimmed) || PLACEHOLDER.test(trimmed)) return "is a placeholder";
  if (trimmed.length < minLength) return `is too short (${trimmed.length} characters; at least ${minLength})`;
  if (new Set(trimmed).size < MIN_DISTINCT_CHARS) return "is too repetitive to be random";
  return null;
}

/** Why a decoded 32-byte key is unfit for production, or null. */
export function weakKeyProblem(key: Uint8Array): string | null {
  return new Set(key).size < MIN_DISTINCT_KEY_BYTES ? "is a patterned key, not a random one" : null;
}
