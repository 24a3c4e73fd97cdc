import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { questionOptions, questions } from "@/db/schema";

export type QuestionWithOptions = typeof questions.$inferSelect & { options: (typeof questionOptions.$inferSelect)[] };

/**
 * The account's active questions (one flow's, when given) with their options, both in display
 * order. Archived questions are left out: the widget no longer asks them and they cannot be mapped.
 */
export async function loadQuestionsWithOptions(accountId: string, flowId?: string): Promise<QuestionWithOptions[]> {
  const db = await getDb();
  const qs = await db
    .select()
    .from(questions)
    .where(and(eq(questions.accountId, accountId), isNull(questions.archivedAt), flowId ? eq(questions.flowId, flowId) : undefined))
    .orderBy(asc(questions.position));
  const opts = qs.length
    ? await db
        .select()
        .from(questionOptions)
        .where(and(eq(questionOptions.accountId, accountId), inArray(questionOptions.questionId, qs.map((q) => q.id))))
        .orderBy(asc(questionOptions.position))
    : [];
  return qs.map((q) => ({ ...q, options: opts.filter((o) => o.questionId === q.id) }));
}
