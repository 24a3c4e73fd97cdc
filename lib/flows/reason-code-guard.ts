import { and, count, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { answerDeliveries, answers, questionOptions } from "@/db/schema";
import { optionValue } from "./answer-value";

export interface ReasonCodeChange {
  optionId: string;
  optionText: string;
  /** The value Intercom received so far (reason code, or option text when it had none). */
  from: string;
  /** The value new answers would send. */
  to: string;
  /** Answers already delivered to Intercom with `from`. */
  delivered: number;
}

export type ReasonCodeHold = { ok: false; error: string; reasonCodeChanges: ReasonCodeChange[] };

// Only what the comparison needs; saveQuestion validates the rest and reports its own errors.
const guardInputSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  options: z
    .array(z.object({ id: z.uuid().optional(), text: z.string().trim(), reasonCode: z.string().trim().nullish() }))
    .default([]),
  confirmReasonCodeChanges: z.boolean().optional(),
});

/**
 * The existing options of a question whose sent value would change with this edit (a new reason
 * code, a removed one, or new text on an option without a code), among those with answers
 * already delivered to Intercom. Renaming the text of an option that has a code changes nothing
 * Intercom sees, so it is never listed.
 */
export async function reasonCodeChangeWarnings(accountId: string, questionInput: unknown): Promise<ReasonCodeChange[]> {
  const parsed = guardInputSchema.safeParse(questionInput);
  if (!parsed.success || parsed.data.kind !== "multiple_choice") return [];
  const input = parsed.data;
  const db = await getDb();
  const stored = await db
    .select()
    .from(questionOptions)
    .where(and(eq(questionOptions.accountId, accountId), eq(questionOptions.questionId, input.id)));
  const storedById = new Map(stored.map((o) => [o.id, o]));

  const changed = input.options.flatMap((o) => {
    const before = o.id ? storedById.get(o.id) : undefined;
    if (!before) return [];
    const from = optionValue(before);
    const to = optionValue({ text: o.text, reasonCode: o.reasonCode || null });
    return from === to ? [] : [{ optionId: before.id, optionText: before.text, from, to }];
  });
  if (changed.length === 0) return [];

  // Counted by the value Intercom got, not by option: answers sent before an earlier change carry another value.
  const counts = await db
    .select({ optionId: answers.optionId, value: answerDeliveries.value, delivered: count() })
    .from(answerDeliveries)
    .innerJoin(answers, eq(answers.id, answerDeliveries.answerId))
    .where(
      and(
        eq(answerDeliveries.accountId, accountId),
        eq(answers.accountId, accountId),
        eq(answerDeliveries.state, "delivered"),
        inArray(
          answers.optionId,
          changed.map((c) => c.optionId),
        ),
      ),
    )
    .groupBy(answers.optionId, answerDeliveries.value);
  const delivered = (c: (typeof changed)[number]) =>
    counts.filter((r) => r.optionId === c.optionId && r.value === c.from).reduce((sum, r) => sum + Number(r.delivered), 0);
  return changed.map((c) => ({ ...c, delivered: delivered(c) })).filter((c) => c.delivered > 0);
}

/**
 * The flow editor's confirm step: an edit that changes values already delivered is held back
 * until the admin confirms (`confirmReasonCodeChanges: true`), because Intercom segments and
 * reports built on the old value would silently stop matching new answers.
 */
export async function holdUnconfirmedReasonCodeChanges(accountId: string, questionInput: unknown): Promise<ReasonCodeHold | null> {
  const confirmed = guardInputSchema.pick({ confirmReasonCodeChanges: true }).safeParse(questionInput);
  if (confirmed.success && confirmed.data.confirmReasonCodeChanges) return null;
  const changes = await reasonCodeChangeWarnings(accountId, questionInput);
  if (changes.length === 0) return null;
  const total = changes.reduce((sum, c) => sum + c.delivered, 0);
  return {
    ok: false,
    error: `This changes values already sent to Intercom (${total} delivered answer${total === 1 ? "" : "s"}). Those answers keep the old value in Intercom; confirm to save anyway.`,
    reasonCodeChanges: changes,
  };
}
