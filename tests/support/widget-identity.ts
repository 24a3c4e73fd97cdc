import { signIdentity } from "@/lib/widget/identity";

/** What a customer's server adds to a widget identity: when it signed, and the signature. */
export function signedIdentity(
  secret: string,
  identity: { email: string; externalId?: string | null },
  issuedAt = Math.floor(Date.now() / 1000),
): { issuedAt: number; signature: string } {
  return { issuedAt, signature: signIdentity(secret, { ...identity, issuedAt }) };
}
