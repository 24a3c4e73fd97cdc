import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

// A key of its own, derived from AUTH_SECRET, so a session token can never double as anything else.
function sessionKey(): Buffer {
  return createHmac("sha256", env().AUTH_SECRET).update("holdfast:widget-session-token:v1").digest();
}

/** Proof that a caller started this cancel session: only our server can mint it. */
export function issueSessionToken(sessionId: string): string {
  return createHmac("sha256", sessionKey()).update(sessionId).digest("base64url");
}

export function verifySessionToken(sessionId: string, token: string): boolean {
  const expected = Buffer.from(issueSessionToken(sessionId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
