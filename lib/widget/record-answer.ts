import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { FOREIGN_KEY_VIOLATION, hasPostgresCode } from "@/db/postgres-errors";
import { answerDeliveries, answers, cancelSessions, questionMappings, questionOptions, questions } from "@/db/schema";
import { optionValue, truncateForIntercom } from "@/lib/flows/answer-value";
import { describeIssues, fail, type WidgetFailure } from "./result";
import { refuseForeignSession } from "./session-access";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "./storable-text";

export const MAX_TEXT_ANSWER = 5000;
// Room for the longest valid answer, so it is judged by its 5000 characters and never refused for
// its bytes: up to 6 bytes a character as JSON (a \u0007 escape; an emoji is 4), plus the ids.
export const MAX_ANSWER_BODY_BYTES = 32 * 1024;

const ANSWER_KEYS = ["optionId", "text", "rating"] as const;

// One answer key, the one the question's kind takes (checked once the question is loaded): with
// two, which one was meant is a guess, and a guess would be stored and sent to Intercom.
export const answerSchema = z
  .object({
    sessionToken: z.string({ error: "sessionToken is required" }).min(1, "sessionToken is required").max(200),
    questionId: z.uuid({ error: "questionId must be a question id" }),
    optionId: z.uuid({ error: "optionId must be an option id" }).optional(),
    text: z.string({ error: "text must be a string" }).refine(isStorableText, `text ${UNSTORABLE_TEXT_MESSAGE}`).optional(),
    rating: z.number({ error: "rating must be a number" }).optional(),
  })
  .refine((body) => ANSWER_KEYS.filter((key) => body[key] !== undefined).length <= 1, {
    message: "Send exactly one of optionId, text or rating: the one this question takes.",
  });

export type RecordAnswerResult = { ok: true; accountId: string; answerId: string; deliveryId: string | null } | WidgetFailure;

type AnswerValue = { optionId: string | null; textValue: string | null; ratingValue: number | null };
type DeliveryValue = { value: string | number; truncated: boolean };
type Body = z.infer<typeof answerSchema>;

/**
 * Stores one answer (re-answering replaces it) and, when the question is mapped to an Intercom
 * attribute, its outbox row in the same transaction, so an answer is never stored unsent.
 * This is the widget's hot path: one read and one short transaction.
 */
export async function recordWidgetAnswer(sessionId: string, input: unknown): Promise<RecordAnswerResult> {
  const parsed = answerSchema.safeParse(input);
  if (!parsed.success) return fail(400, describeIssues(parsed.error));
  const body = parsed.data;
  const refused = refuseForeignSession(sessionId, body.sessionToken);
  if (refused) return refused;

  const target = await loadAnswerTarget(sessionId, body);
  if (!target) return fail(404, "Session not found.");
  const { session, question, option, mapping } = target;
  if (session.status !== "started") return fail(409, "This session is already complete.");
  if (!question) return fail(404, "Question not found in this cancellation flow.");
  const value = valueFor(question.kind, option, body);
  if (!value.ok) return value;

  const db = await getDb();
  try {
    return await storeAnswer(db, sessionId, session, question.id, value, mapping);
  } catch (err) {
    // The question (or option) was removed from the flow between the read above and the write.
    if (hasPostgresCode(err, FOREIGN_KEY_VIOLATION)) return fail(404, "Question not found in this cancellation flow: it was just removed.");
    throw err;
  }
}

async function storeAnswer(
  db: Db,
  sessionId: string,
  session: { accountId: string; subscriberId: string },
  questionId: string,
  value: Extract<ReturnType<typeof valueFor>, { ok: true }>,
  mapping: { intercomAttribute: string } | null,
): Promise<RecordAnswerResult> {
  return db.transaction(async (tx) => {
    const [answer] = await tx
      .insert(answers)
      .values({ accountId: session.accountId, sessionId, subscriberId: session.subscriberId, questionId, ...value.answer })
      .onConflictDoUpdate({ target: [answers.sessionId, answers.questionId], set: value.answer })
      .returning({ id: answers.id });
    if (!answer) throw new Error("answer upsert returned nothing");
    if (!mapping) return { ok: true as const, accountId: session.accountId, answerId: answer.id, deliveryId: null };
    const now = new Date();
    // A changed answer restarts its delivery; the new nextAttemptAt also fences off a send in flight.
    const fresh = { ...value.delivery, attribute: mapping.intercomAttribute, questionId, answeredAt: now, state: "pending" as const, attempts: 0, nextAttemptAt: now };
    const [delivery] = await tx
      .insert(answerDeliveries)
      .values({ accountId: session.accountId, answerId: answer.id, subscriberId: session.subscriberId, ...fresh })
      .onConflictDoUpdate({
        target: answerDeliveries.answerId,
        set: { ...fresh, lastError: null, lastErrorCode: null, lastRequestId: null, attentionReason: null, deliveredAt: null, updatedAt: now },
      })
      .returning({ id: answerDeliveries.id });
    return { ok: true as const, accountId: session.accountId, answerId: answer.id, deliveryId: delivery?.id ?? null };
  });
}

/**
 * The session with, in the same query, the question (only if it belongs to the session's own
 * flow and account), the chosen option (only if it belongs to that question) and its mapping.
 */
async function loadAnswerTarget(sessionId: string, body: Body) {
  const db = await getDb();
  const [row] = await db
    .select({
      session: { accountId: cancelSessions.accountId, subscriberId: cancelSessions.subscriberId, status: cancelSessions.status },
      question: { id: questions.id, kind: questions.kind },
      option: { id: questionOptions.id, text: questionOptions.text, reasonCode: questionOptions.reasonCode },
      mapping: { intercomAttribute: questionMappings.intercomAttribute },
    })
    .from(cancelSessions)
    .leftJoin(
      questions,
      and(
        eq(questions.id, body.questionId),
        eq(questions.accountId, cancelSessions.accountId),
        eq(questions.flowId, cancelSessions.flowId),
        isNull(questions.archivedAt),
      ),
    )
    .leftJoin(
      questionOptions,
      body.optionId ? and(eq(questionOptions.id, body.optionId), eq(questionOptions.questionId, questions.id)) : sql`false`,
    )
    .leftJoin(questionMappings, and(eq(questionMappings.questionId, questions.id), eq(questionMappings.accountId, cancelSessions.accountId)))
    .where(eq(cancelSessions.id, sessionId))
    .limit(1);
  return row;
}

function valueFor(
  kind: (typeof questions.$inferSelect)["kind"],
  option: { id: string; text: string; reasonCode: string | null } | null,
  body: Body,
): { ok: true; answer: AnswerValue; delivery: DeliveryValue } | WidgetFailure {
  const none = { optionId: null, textValue: null, ratingValue: null };
  if (kind === "multiple_choice") {
    if (!body.optionId) return fail(400, "optionId is required for a multiple-choice question.");
    if (!option) return fail(400, "optionId is not an option of this question.");
    return { ok: true, answer: { ...none, optionId: option.id }, delivery: { value: optionValue(option), truncated: false } };
  }
  if (kind === "free_text") {
    const text = body.text?.trim();
    if (!text) return fail(400, "text is required for a free-text question.");
    if (Array.from(text).length > MAX_TEXT_ANSWER) return fail(400, `text must be at most ${MAX_TEXT_ANSWER} characters.`);
    const cut = truncateForIntercom(text);
    return { ok: true, answer: { ...none, textValue: text }, delivery: { value: cut.value, truncated: cut.truncated } };
  }
  const rating = body.rating;
  if (rating === undefined) return fail(400, "rating is required for a rating question.");
  if (!Number.isInteger(rating) || rating < 1 || rating > 10) return fail(400, "rating must be a whole number from 1 to 10.");
  return { ok: true, answer: { ...none, ratingValue: rating }, delivery: { value: rating, truncated: false } };
}
