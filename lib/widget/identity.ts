import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The one string a customer's server signs to vouch for a subscriber:
 *   "<email, trimmed and lowercased>"                  when no external id is sent
 *   "<email, trimmed and lowercased>:<external id>"    when one is sent
 * Signature = lowercase hex HMAC-SHA256 of that string, keyed with the account's widget secret.
 * Emails are validated to contain no ":", so the two forms can never collide.
 */
export function identityPayload(identity: { email: string; externalId?: string | null }): string {
  const email = identity.email.trim().toLowerCase();
  return identity.externalId ? `${email}:${identity.externalId}` : email;
}

export function signIdentity(secret: string, identity: { email: string; externalId?: string | null }): string {
  return createHmac("sha256", secret).update(identityPayload(identity), "utf8").digest("hex");
}

/** Constant-time check of a hex signature; anything malformed is simply not valid. */
export function verifyIdentitySignature(
  secret: string,
  identity: { email: string; externalId?: string | null },
  signature: string,
): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = Buffer.from(signIdentity(secret, identity), "hex");
  return timingSafeEqual(expected, Buffer.from(signature, "hex"));
}
