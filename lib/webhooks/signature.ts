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
 * How Intercom signs what it sends us (traps C24), always an HMAC of the exact bytes received
 * keyed with the client secret:
 * - `hub`: `X-Hub-Signature: sha1=<hex>`, HMAC-SHA1, on topic notifications (contact.*, ping):
 *   API-NOTES §5.4.
 * - `body`: `X-Body-Signature: <hex>`, HMAC-SHA256, on app requests such as the uninstall notice.
 *   API-NOTES §1.4 calls the uninstall's signing undocumented; this is what integrations verify
 *   in production (dubinc/dub#4054).
 */
export type SignatureScheme = "hub" | "body";

const SCHEMES: Record<SignatureScheme, { header: string; algorithm: "sha1" | "sha256"; format: RegExp }> = {
  hub: { header: "X-Hub-Signature", algorithm: "sha1", format: /^sha1=([0-9a-f]{40})$/i },
  body: { header: "X-Body-Signature", algorithm: "sha256", format: /^([0-9a-f]{64})$/i },
};

export type SignatureCheck = { ok: true } | { ok: false; error: string };

/**
 * Fails closed: no secret, none of the accepted headers, or any accepted header that does not
 * verify is a refusal. Compared in constant time.
 */
export function checkIntercomSignature(
  rawBody: Uint8Array,
  headers: Headers,
  accepted: SignatureScheme[],
  secret: string | null = webhookSigningSecret(),
): SignatureCheck {
  if (!secret) return { ok: false, error: "Webhook signing secret is not configured" };
  const present = accepted.filter((scheme) => headers.has(SCHEMES[scheme].header));
  if (present.length === 0) return { ok: false, error: `Missing ${accepted.map((s) => SCHEMES[s].header).join(" or ")}` };
  for (const scheme of present) {
    const { header, algorithm, format } = SCHEMES[scheme];
    const match = format.exec(headers.get(header)!.trim());
    const expected = createHmac(algorithm, secret).update(rawBody).digest();
    if (!match || !timingSafeEqual(Buffer.from(match[1]!, "hex"), expected)) return { ok: false, error: `Invalid ${header}` };
  }
  return { ok: true };
}

/** Signs a body as Intercom signs topic notifications; for tools that replay them (bench, tests). */
export function signIntercomBody(rawBody: string | Uint8Array, secret: string): string {
  return `sha1=${createHmac("sha1", secret).update(rawBody).digest("hex")}`;
}
