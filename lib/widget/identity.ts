import { createHmac, timingSafeEqual } from "node:crypto";

export interface SubscriberIdentity {
  email: string;
  externalId?: string | null;
  /** Unix seconds at which the customer's server signed the identity. */
  issuedAt: number;
}

// The identity travels in the widget iframe's URL (browser history, logs, Referer): a captured
// one must stop working. A day covers an account page left open; the skew covers clocks.
export const IDENTITY_MAX_AGE_SECONDS = 24 * 3600;
export const IDENTITY_CLOCK_SKEW_SECONDS = 300;

/**
 * The one string a customer's server signs to vouch for a subscriber:
 *   "<issuedAt>:<email, trimmed and lowercased>"                  when no external id is sent
 *   "<issuedAt>:<email, trimmed and lowercased>:<external id>"    when one is sent
 * Signature = lowercase hex HMAC-SHA256 of that string, keyed with the account's widget secret.
 * issuedAt is digits and emails are validated to contain no ":", so the forms never collide.
 */
export function identityPayload(identity: SubscriberIdentity): string {
  const email = identity.email.trim().toLowerCase();
  const signed = `${identity.issuedAt}:${email}`;
  return identity.externalId ? `${signed}:${identity.externalId}` : signed;
}

export function signIdentity(secret: string, identity: SubscriberIdentity): string {
  return createHmac("sha256", secret).update(identityPayload(identity), "utf8").digest("hex");
}

/** Constant-time check of a hex signature; anything malformed is simply not valid. */
export function verifyIdentitySignature(secret: string, identity: SubscriberIdentity, signature: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = Buffer.from(signIdentity(secret, identity), "hex");
  return timingSafeEqual(expected, Buffer.from(signature, "hex"));
}

/** Why a correctly signed identity is no longer (or not yet) accepted, or null. */
export function identityAgeProblem(issuedAt: number, nowSeconds: number): string | null {
  if (issuedAt > nowSeconds + IDENTITY_CLOCK_SKEW_SECONDS) {
    return "issuedAt is in the future: sign with your server's current Unix time in seconds (not milliseconds).";
  }
  if (nowSeconds - issuedAt > IDENTITY_MAX_AGE_SECONDS) {
    return "This signed identity has expired (signed more than 24 hours ago): sign it again when you render the page.";
  }
  return null;
}
