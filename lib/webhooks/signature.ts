import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

// lib/env.ts defaults INTERCOM_CLIENT_SECRET to this placeholder so the app boots without
// Intercom; a placeholder is as good as no secret, and signatures made with it are refused.
const PLACEHOLDER_SECRET = "unset-client-secret";

/** The key Intercom signs notifications with (the app's client secret), or null when not configured. */
export function webhookSigningSecret(): string | null {
  const secret = env().INTERCOM_CLIENT_SECRET.trim();
  return secret === "" || secret === PLACEHOLDER_SECRET ? null : secret;
}

/**
 * `X-Hub-Signature: sha1=<hex>` is HMAC-SHA1 of the exact bytes received (traps C24): compared in
 * constant time, and false whenever there is no secret to check it with.
 */
export function isValidIntercomSignature(rawBody: Uint8Array, header: string | null, secret: string | null): boolean {
  if (!secret || !header) return false;
  const match = /^sha1=([0-9a-f]{40})$/i.exec(header.trim());
  if (!match) return false;
  const expected = createHmac("sha1", secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1]!, "hex"), expected);
}

/** Signs a body as Intercom does; for tools that replay notifications (bench, tests). */
export function signIntercomBody(rawBody: string | Uint8Array, secret: string): string {
  return `sha1=${createHmac("sha1", secret).update(rawBody).digest("hex")}`;
}
