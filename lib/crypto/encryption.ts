import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { decodeKey, env } from "@/lib/env";

// AES-256-GCM; stored as "v1.<iv>.<tag>.<ciphertext>" (base64url) so the format can rotate.
const VERSION = "v1";

function key(): Buffer {
  const k = decodeKey(env().ENCRYPTION_KEY);
  if (!k) throw new Error("ENCRYPTION_KEY is invalid");
  return k;
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function decryptSecret(stored: string): string {
  const [version, iv, tag, body] = stored.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("Unrecognised encrypted value");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
