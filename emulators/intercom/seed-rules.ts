// Pure rules for the seeded workspace, shared with the app's demo seed so that demo subscribers
// line up with emulator contacts without either side reading the other's data.

import type { ContactRole } from "./types";

/** Both the user #1 and the lead #5 carry this address: the duplicate-email case (traps C07). */
export const SHARED_LEAD_USER_EMAIL = "shared.lead.user@example.com";
/** Lead #15 is merged into user #14 at seed time, so its id answers 410 (traps C11). */
export const SEEDED_MERGE = { from: 15, into: 14 } as const;

export function seededContactRole(n: number): ContactRole {
  return n % 5 === 0 ? "lead" : "user";
}

/**
 * The email of seeded contact n (1-based), or null for a lead without an email.
 * - n = 1 and n = 5: SHARED_LEAD_USER_EMAIL (a user and a lead share it)
 * - n % 25 === 0: null (these are leads)
 * - n % 50 === 7: `User{n}@Example.COM` (mixed case; lowercases to the normal rule)
 * - otherwise: `user{n}@example.com`
 */
export function seededContactEmail(n: number): string | null {
  if (n === 1 || n === 5) return SHARED_LEAD_USER_EMAIL;
  if (n % 25 === 0) return null;
  if (n % 50 === 7) return `User${n}@Example.COM`;
  return `user${n}@example.com`;
}

/** Users carry an external id (`user-{n}`); leads never do. */
export function seededContactExternalId(n: number): string | null {
  return seededContactRole(n) === "user" ? `user-${n}` : null;
}
