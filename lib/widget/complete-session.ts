import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { cancelSessions, subscribers } from "@/db/schema";
import { describeIssues, fail, type WidgetFailure } from "./result";
import { openOwnedSession } from "./session-access";

export const completeSchema = z.object({
  sessionToken: z.string({ error: "sessionToken is required" }).min(1, "sessionToken is required").max(200),
  outcome: z.enum(["cancelled", "retained"], { error: "outcome must be 'cancelled' or 'retained'" }),
});

/** Closes the session; a confirmed cancellation also marks the subscriber cancelled. */
export async function completeWidgetSession(
  sessionId: string,
  input: unknown,
): Promise<{ ok: true; outcome: "cancelled" | "retained" } | WidgetFailure> {
  const parsed = completeSchema.safeParse(input);
  if (!parsed.success) return fail(400, describeIssues(parsed.error));
  const owned = await openOwnedSession(sessionId, parsed.data.sessionToken);
  if (!owned.ok) return owned;
  const { session } = owned;
  const { outcome } = parsed.data;
  // Repeating the same completion (a double click, a retried request) is not an error.
  if (session.status === "completed") {
    return session.outcome === outcome ? { ok: true, outcome } : fail(409, `This session was already completed as '${session.outcome}'.`);
  }
  const db = await getDb();
  await db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .update(cancelSessions)
      .set({ status: "completed", outcome, completedAt: now })
      .where(and(eq(cancelSessions.id, session.id), eq(cancelSessions.accountId, session.accountId)));
    if (outcome === "cancelled") {
      await tx
        .update(subscribers)
        .set({ status: "cancelled", updatedAt: now })
        .where(and(eq(subscribers.id, session.subscriberId), eq(subscribers.accountId, session.accountId)));
    }
  });
  return { ok: true, outcome };
}
