import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * Vercel sends `Authorization: Bearer <CRON_SECRET>` with each cron request. Digests are compared
 * so neither the content nor the length of the secret leaks through timing.
 */
export function isAuthorizedCronRequest(req: Request): boolean {
  const header = req.headers.get("authorization") ?? "";
  const expected = `Bearer ${env().CRON_SECRET}`;
  const digest = (v: string) => createHash("sha256").update(v, "utf8").digest();
  return timingSafeEqual(digest(header), digest(expected));
}
