import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { cancelSessions } from "@/db/schema";
import { fail, type WidgetFailure } from "./result";
import { verifySessionToken } from "./session-token";

export type CancelSession = typeof cancelSessions.$inferSelect;

/** Refuses a caller who does not hold the token of the session named in the URL (no database needed). */
export function refuseForeignSession(sessionId: string, sessionToken: string): WidgetFailure | null {
  if (!z.uuid().safeParse(sessionId).success || !verifySessionToken(sessionId, sessionToken)) {
    return fail(401, "Invalid session token: start a new session.");
  }
  return null;
}

/** The session named in the URL, if the caller holds its token; unknown and forged look alike. */
export async function openOwnedSession(
  sessionId: string,
  sessionToken: string,
): Promise<{ ok: true; session: CancelSession } | WidgetFailure> {
  const refused = refuseForeignSession(sessionId, sessionToken);
  if (refused) return refused;
  const db = await getDb();
  const session = await db.query.cancelSessions.findFirst({ where: eq(cancelSessions.id, sessionId) });
  if (!session) return fail(404, "Session not found.");
  return { ok: true, session };
}
