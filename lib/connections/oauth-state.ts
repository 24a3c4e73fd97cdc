import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { getDb } from "@/db/client";
import { oauthStates } from "@/db/schema";

export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
// Holds the raw state in the admin's browser, binding the callback to the browser that started it.
export const OAUTH_STATE_COOKIE = "hf_intercom_oauth_state";
export const OAUTH_STATE_COOKIE_PATH = "/api/integrations/intercom";

export type StateProblem = "state_mismatch" | "state_expired" | "state_replayed";

export function hashState(state: string): string {
  return createHash("sha256").update(state, "utf8").digest("hex");
}

/** A fresh single-use state for this admin; only its hash is stored. */
export async function createOAuthState(accountId: string, adminId: string): Promise<string> {
  const state = randomBytes(32).toString("base64url");
  const db = await getDb();
  // Old attempts are kept a day so a late callback still says "expired" rather than "mismatch".
  await db
    .delete(oauthStates)
    .where(and(eq(oauthStates.adminId, adminId), lt(oauthStates.expiresAt, new Date(Date.now() - 24 * 3600 * 1000))));
  await db.insert(oauthStates).values({
    stateHash: hashState(state),
    accountId,
    adminId,
    expiresAt: new Date(Date.now() + OAUTH_STATE_TTL_MS),
  });
  return state;
}

/**
 * Marks the state used in one conditional UPDATE, so two callbacks racing with the same state
 * cannot both pass. Returns null when consumed, or why it was refused.
 */
export async function consumeOAuthState(state: string, accountId: string, adminId: string): Promise<StateProblem | null> {
  const db = await getDb();
  const stateHash = hashState(state);
  const now = new Date();
  const consumed = await db
    .update(oauthStates)
    .set({ usedAt: now })
    .where(
      and(
        eq(oauthStates.stateHash, stateHash),
        eq(oauthStates.accountId, accountId),
        eq(oauthStates.adminId, adminId),
        isNull(oauthStates.usedAt),
        gt(oauthStates.expiresAt, now),
      ),
    )
    .returning({ stateHash: oauthStates.stateHash });
  if (consumed.length > 0) return null;

  const row = await db.query.oauthStates.findFirst({ where: (s, { eq }) => eq(s.stateHash, stateHash) });
  // Another admin's state is reported as unknown: it must not reveal that it exists.
  if (!row || row.accountId !== accountId || row.adminId !== adminId) return "state_mismatch";
  if (row.usedAt) return "state_replayed";
  return row.expiresAt <= now ? "state_expired" : "state_replayed";
}

/** Constant-time comparison of the callback's state with the one this browser was given. */
export function stateMatchesBrowser(state: string, browserState: string | null | undefined): boolean {
  if (!browserState) return false;
  // Hashing first gives equal lengths, which timingSafeEqual requires.
  return timingSafeEqual(Buffer.from(hashState(state), "hex"), Buffer.from(hashState(browserState), "hex"));
}
