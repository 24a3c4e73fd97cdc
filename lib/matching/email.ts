// Tab, newline and other C0 controls, and DEL (surrounding white space is trimmed first).
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * Match key for emails: trim + lowercase (Unicode-aware). Plus-tags and dots stay significant:
 * dana+billing@ and dana@ are different people. Returns null for anything without an "@", and
 * for control characters (a NUL cannot even be stored): no real address has them.
 */
export function emailKey(email: string | null | undefined): string | null {
  if (typeof email !== "string") return null;
  const key = email.normalize("NFC").trim().toLocaleLowerCase("en-US");
  const at = key.indexOf("@");
  return at > 0 && at < key.length - 1 && !CONTROL_CHARACTER.test(key) ? key : null;
}

export interface ContactCandidate {
  contactId: string;
  role: string;
  externalId: string | null;
  updatedAt: number;
}

/**
 * Several Intercom contacts may share an email. Prefer a user over a lead, then the one whose
 * external_id is our subscriber's id, then the most recently updated; ties break on id so every
 * run picks the same contact.
 */
export function pickContact<C extends ContactCandidate>(candidates: C[], subscriberExternalId?: string | null): C | null {
  const rank = (c: C) => [
    c.role === "user" ? 1 : 0,
    subscriberExternalId && c.externalId === subscriberExternalId ? 1 : 0,
    c.updatedAt,
  ];
  let best: C | null = null;
  for (const c of candidates) {
    if (!best) {
      best = c;
      continue;
    }
    const a = rank(c);
    const b = rank(best);
    const cmp = a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]! || (c.contactId < best.contactId ? 1 : -1);
    if (cmp > 0) best = c;
  }
  return best;
}
