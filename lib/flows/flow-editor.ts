import { and, asc, eq, inArray, isNull, max, notInArray } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { answers, flows, questionMappings, questionOptions, questions } from "@/db/schema";
import { resolveStaleMappingAlerts } from "@/lib/mappings/mapping-health";
import { readStoredOptions } from "@/lib/mappings/stored-options";
import { optionValue } from "./answer-value";
import { holdUnconfirmedReasonCodeChanges } from "./reason-code-guard";

const reasonCodeSchema = z
  .string()
  .trim()
  .max(64, "Reason codes are at most 64 characters")
  .regex(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/, "Reason codes use lowercase letters, digits, _ or - (e.g. too_expensive)")
  .optional()
  .or(z.literal("").transform(() => undefined));

const optionSchema = z.object({
  id: z.uuid().optional(),
  text: z.string().trim().min(1, "Option text is required").max(200, "Option text is at most 200 characters"),
  reasonCode: reasonCodeSchema,
});

export const questionInputSchema = z
  .object({
    id: z.uuid().optional(),
    kind: z.enum(["multiple_choice", "free_text", "rating"], { error: "Choose a question type" }),
    prompt: z.string().trim().min(1, "The question text is required").max(300, "Keep the question under 300 characters"),
    options: z.array(optionSchema).max(12, "At most 12 options").default([]),
  })
  .superRefine((q, ctx) => {
    if (q.kind !== "multiple_choice") return;
    if (q.options.length < 2) ctx.addIssue({ code: "custom", path: ["options"], message: "Add at least two options" });
    const codes = q.options.map((o) => o.reasonCode).filter(Boolean);
    if (new Set(codes).size !== codes.length) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "Each reason code may be used once" });
    }
    const texts = q.options.map((o) => o.text.toLowerCase());
    if (new Set(texts).size !== texts.length) ctx.addIssue({ code: "custom", path: ["options"], message: "Options must differ" });
  });
export type QuestionInput = z.input<typeof questionInputSchema>;

export type EditorResult<T = object> = ({ ok: true } & T) | { ok: false; error: string };

export interface EditorQuestion {
  id: string;
  kind: "multiple_choice" | "free_text" | "rating";
  prompt: string;
  position: number;
  options: { id: string; text: string; reasonCode: string | null }[];
  mapping: { attribute: string; dataType: string; options: string[] | null } | null;
}

/** The account's flow as the editor shows it (one flow per account for now), archived questions left out. */
export async function getFlowForEditor(accountId: string) {
  const db = await getDb();
  const flow = await db.query.flows.findFirst({ where: eq(flows.accountId, accountId), orderBy: asc(flows.createdAt) });
  if (!flow) return null;
  const qs = await db
    .select()
    .from(questions)
    .where(and(eq(questions.accountId, accountId), eq(questions.flowId, flow.id), isNull(questions.archivedAt)))
    .orderBy(asc(questions.position));
  const ids = qs.map((q) => q.id);
  const [opts, maps] = ids.length
    ? await Promise.all([
        db
          .select()
          .from(questionOptions)
          .where(and(eq(questionOptions.accountId, accountId), inArray(questionOptions.questionId, ids)))
          .orderBy(asc(questionOptions.position)),
        db.select().from(questionMappings).where(and(eq(questionMappings.accountId, accountId), inArray(questionMappings.questionId, ids))),
      ])
    : [[], []];
  const result: EditorQuestion[] = qs.map((q) => {
    const m = maps.find((x) => x.questionId === q.id);
    const stored = m ? readStoredOptions(m.intercomOptions) : null;
    return {
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      position: q.position,
      options: opts.filter((o) => o.questionId === q.id).map((o) => ({ id: o.id, text: o.text, reasonCode: o.reasonCode })),
      // Unreadable options show as none; a save that needs them says so (mappingConflict).
      mapping: m ? { attribute: m.intercomAttribute, dataType: m.intercomDataType, options: stored?.ok ? stored.options : null } : null,
    };
  });
  return { flow, questions: result };
}

/** Creates (no id) or updates a question; option ids are kept so stored answers stay linked. */
export async function saveQuestion(accountId: string, input: unknown): Promise<EditorResult<{ questionId: string }>> {
  const parsed = questionInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Invalid question" };
  const q = parsed.data;
  const db = await getDb();
  const flow = await db.query.flows.findFirst({ where: eq(flows.accountId, accountId), orderBy: asc(flows.createdAt) });
  if (!flow) return { ok: false, error: "This account has no cancellation flow." };

  if (q.id) {
    const mapping = await db.query.questionMappings.findFirst({
      where: and(eq(questionMappings.questionId, q.id), eq(questionMappings.accountId, accountId)),
    });
    const conflict = mapping ? mappingConflict(q, mapping) : null;
    if (conflict) return { ok: false, error: conflict };
    const held = await holdUnconfirmedReasonCodeChanges(accountId, input);
    if (held) return held;
  }

  return db.transaction(async (tx) => {
    let questionId = q.id;
    if (questionId) {
      const [updated] = await tx
        .update(questions)
        .set({ kind: q.kind, prompt: q.prompt })
        .where(and(eq(questions.id, questionId), eq(questions.accountId, accountId), isNull(questions.archivedAt)))
        .returning({ id: questions.id });
      if (!updated) return { ok: false as const, error: "Question not found." };
    } else {
      const [{ top } = { top: 0 }] = await tx
        .select({ top: max(questions.position) })
        .from(questions)
        .where(and(eq(questions.accountId, accountId), eq(questions.flowId, flow.id)));
      const [created] = await tx
        .insert(questions)
        .values({ accountId, flowId: flow.id, kind: q.kind, prompt: q.prompt, position: (top ?? 0) + 1 })
        .returning({ id: questions.id });
      questionId = created!.id;
    }
    await replaceOptions(tx, accountId, questionId, q.kind === "multiple_choice" ? q.options : []);
    return { ok: true as const, questionId };
  });
}

/** A mapped question must keep sending values its Intercom attribute accepts. */
function mappingConflict(q: z.output<typeof questionInputSchema>, m: typeof questionMappings.$inferSelect): string | null {
  const numeric = m.intercomDataType === "integer" || m.intercomDataType === "float";
  if ((q.kind === "rating") !== numeric) {
    return `This question is mapped to the Intercom attribute "${m.intercomAttribute}" (${m.intercomDataType}); remove that mapping before changing its type.`;
  }
  const stored = readStoredOptions(m.intercomOptions);
  if (!stored.ok) {
    return `Holdfast's copy of the options of "${m.intercomAttribute}" is unreadable, so this change cannot be checked against Intercom. Press Check mappings on Intercom › Question mappings to reload them, then save again.`;
  }
  const options = stored.options;
  if (!options?.length) return null;
  if (q.kind === "free_text") return `"${m.intercomAttribute}" is an Intercom list attribute; remove the mapping before making this free text.`;
  const outside = q.options.map((o) => optionValue({ text: o.text, reasonCode: o.reasonCode ?? null })).filter((v) => !options.includes(v));
  return outside.length
    ? `This question is mapped to the Intercom list attribute "${m.intercomAttribute}", which only accepts: ${options.join(", ")}. Set reason codes from that list (not accepted: ${outside.join(", ")}).`
    : null;
}

async function replaceOptions(
  tx: Tx,
  accountId: string,
  questionId: string,
  options: { id?: string; text: string; reasonCode?: string }[],
) {
  const keep = options.map((o) => o.id).filter((id): id is string => Boolean(id));
  await tx
    .delete(questionOptions)
    .where(
      and(
        eq(questionOptions.questionId, questionId),
        eq(questionOptions.accountId, accountId),
        keep.length ? notInArray(questionOptions.id, keep) : undefined,
      ),
    );
  for (const [i, o] of options.entries()) {
    const values = { text: o.text, reasonCode: o.reasonCode ?? null, position: i + 1 };
    const updated = o.id
      ? await tx
          .update(questionOptions)
          .set(values)
          .where(and(eq(questionOptions.id, o.id), eq(questionOptions.questionId, questionId), eq(questionOptions.accountId, accountId)))
          .returning({ id: questionOptions.id })
      : [];
    if (updated.length === 0) await tx.insert(questionOptions).values({ accountId, questionId, ...values });
  }
}

const questionIdSchema = z.uuid();

/**
 * Removes a question from the flow. One that has answers is archived, not deleted: its answers,
 * their deliveries (delivered or still waiting) and the subscriber pages keep it. Its mapping goes
 * either way, so the attribute is free for another question; waiting deliveries carry their
 * attribute and are still sent.
 */
export async function deleteQuestion(accountId: string, questionId: unknown): Promise<EditorResult<{ archived: boolean }>> {
  // Checked before the query: Postgres rejects a malformed uuid with an error, not "no row".
  const id = questionIdSchema.safeParse(questionId);
  if (!id.success) return { ok: false, error: "Question not found." };
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    // The row lock waits for an answer being recorded right now (it holds a key-share lock), so
    // the check below sees it.
    const [question] = await tx
      .select({ id: questions.id })
      .from(questions)
      .where(and(eq(questions.id, id.data), eq(questions.accountId, accountId), isNull(questions.archivedAt)))
      .for("update");
    if (!question) return { ok: false as const, error: "Question not found." };
    await tx.delete(questionMappings).where(and(eq(questionMappings.questionId, question.id), eq(questionMappings.accountId, accountId)));
    const [answered] = await tx
      .select({ id: answers.id })
      .from(answers)
      .where(and(eq(answers.questionId, question.id), eq(answers.accountId, accountId)))
      .limit(1);
    if (answered) {
      await tx.update(questions).set({ archivedAt: new Date() }).where(eq(questions.id, question.id));
      return { ok: true as const, archived: true };
    }
    await tx.delete(questions).where(eq(questions.id, question.id));
    return { ok: true as const, archived: false };
  });
  // An alert about the removed mapping would otherwise stay open with nothing left to fix.
  if (result.ok) await resolveStaleMappingAlerts(accountId);
  return result;
}

export const reorderSchema = z.array(z.uuid()).min(1);

/** Sets the order of the flow's questions; the list must name each of them exactly once. */
export async function reorderQuestions(accountId: string, questionIds: unknown): Promise<EditorResult> {
  const parsed = reorderSchema.safeParse(questionIds);
  if (!parsed.success) return { ok: false, error: "Invalid order." };
  const ids = parsed.data;
  const db = await getDb();
  const flow = await db.query.flows.findFirst({ where: eq(flows.accountId, accountId), orderBy: asc(flows.createdAt) });
  if (!flow) return { ok: false, error: "This account has no cancellation flow." };
  const current = await db
    .select({ id: questions.id })
    .from(questions)
    .where(and(eq(questions.accountId, accountId), eq(questions.flowId, flow.id), isNull(questions.archivedAt)));
  const same = current.length === ids.length && new Set(ids).size === ids.length && current.every((q) => ids.includes(q.id));
  if (!same) return { ok: false, error: "The flow changed meanwhile; reload and try again." };
  await db.transaction(async (tx) => {
    for (const [i, id] of ids.entries()) {
      await tx.update(questions).set({ position: i + 1 }).where(and(eq(questions.id, id), eq(questions.accountId, accountId)));
    }
  });
  return { ok: true };
}
