import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { loadQuestionsWithOptions } from "@/lib/flows/questions-with-options";
import { questionMappings } from "@/db/schema";
import { clientForConnection, getConnection, markReconnectRequired } from "@/lib/connections/intercom-connection";
import { requeueDeliveriesForMappings } from "@/lib/forwarding/broken-mappings";
import { IntercomError } from "@/lib/intercom/errors";
import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import { checkQuestionMapping, isWritableCustomAttribute, type MappableQuestion } from "./question-mappings-rules";

export const questionMappingRowsSchema = z
  .array(
    z.object({
      questionId: z.uuid({ error: "Pick a question" }),
      intercomAttribute: z.string().trim().min(1, "Pick an Intercom attribute").max(255),
    }),
  )
  .max(100, "At most 100 mappings");
export type QuestionMappingRow = z.infer<typeof questionMappingRowsSchema>[number];

export type SaveQuestionMappingsResult =
  | { ok: true; saved: number }
  | { ok: false; error: string; rowErrors: (string | null)[] };

export type AttributeLoad =
  | { state: "ok"; attributes: IntercomDataAttribute[] }
  | { state: "not_connected" | "reconnect_required" | "error"; message: string };

/** The account's questions (every flow), with options, in flow order. */
export async function listMappableQuestions(accountId: string): Promise<MappableQuestion[]> {
  return (await loadQuestionsWithOptions(accountId)).map((q) => ({
    id: q.id,
    kind: q.kind,
    prompt: q.prompt,
    options: q.options.map((o) => ({ text: o.text, reasonCode: o.reasonCode })),
  }));
}

export async function listQuestionMappings(accountId: string) {
  const db = await getDb();
  return db.select().from(questionMappings).where(eq(questionMappings.accountId, accountId)).orderBy(asc(questionMappings.createdAt));
}

/** Intercom's contact attributes right now (archived included, so a save can say "archived"). */
export async function loadIntercomAttributes(accountId: string): Promise<AttributeLoad> {
  const conn = await getConnection(accountId);
  if (!conn || conn.status === "disconnected" || !conn.accessTokenEnc) {
    return { state: "not_connected", message: "Connect Intercom to map questions to Intercom attributes." };
  }
  if (conn.status === "reconnect_required") {
    return { state: "reconnect_required", message: conn.statusReason ?? "Intercom needs to be reconnected." };
  }
  try {
    return { state: "ok", attributes: await clientForConnection(conn, { retries: 1 }).listDataAttributes(true) };
  } catch (err) {
    if (err instanceof IntercomError && err.kind === "unauthorized") {
      await markReconnectRequired(conn, "Intercom rejected the access token (401). Reconnect Intercom.");
      return { state: "reconnect_required", message: "Intercom rejected our access token. Reconnect Intercom." };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { state: "error", message: `Could not load attributes from Intercom: ${message}` };
  }
}

/** Only attributes an answer may be written to, for the picker. */
export function pickableAttributes(attributes: IntercomDataAttribute[]): IntercomDataAttribute[] {
  return attributes.filter(isWritableCustomAttribute).sort((a, b) => (a.label || a.name).localeCompare(b.label || b.name));
}

/**
 * Replaces the account's question mappings after checking every row against Intercom's live
 * attributes: type, list options, writability, and one-to-one use of questions and attributes.
 */
export async function saveQuestionMappings(accountId: string, rows: unknown): Promise<SaveQuestionMappingsResult> {
  const parsed = questionMappingRowsSchema.safeParse(rows);
  if (!parsed.success) {
    const rowErrors: (string | null)[] = Array.isArray(rows) ? rows.map(() => null) : [];
    for (const issue of parsed.error.issues) {
      const index = issue.path[0];
      if (typeof index === "number" && index < rowErrors.length) rowErrors[index] ??= issue.message;
    }
    return { ok: false, error: parsed.error.issues[0]?.message ?? "Invalid mappings", rowErrors };
  }
  const list = parsed.data;
  const loaded = await loadIntercomAttributes(accountId);
  if (loaded.state !== "ok") return { ok: false, error: loaded.message, rowErrors: list.map(() => null) };

  const questionsById = new Map((await listMappableQuestions(accountId)).map((q) => [q.id, q]));
  const attributesByName = new Map(
    loaded.attributes.filter((a) => a.model === undefined || a.model === "contact").map((a) => [a.name, a]),
  );
  const seenQuestions = new Set<string>();
  const seenAttributes = new Set<string>();
  const rowErrors = list.map((row) => {
    const question = questionsById.get(row.questionId);
    if (!question) return "This question no longer exists.";
    if (seenQuestions.has(row.questionId)) return "This question is already mapped in another row.";
    if (seenAttributes.has(row.intercomAttribute)) return "This Intercom attribute is already used by another row.";
    seenQuestions.add(row.questionId);
    seenAttributes.add(row.intercomAttribute);
    return checkQuestionMapping(question, attributesByName.get(row.intercomAttribute), row.intercomAttribute);
  });
  const errorCount = rowErrors.filter(Boolean).length;
  if (errorCount) {
    return { ok: false, error: `${errorCount} mapping${errorCount === 1 ? " needs" : "s need"} attention.`, rowErrors };
  }

  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.delete(questionMappings).where(eq(questionMappings.accountId, accountId));
    if (list.length === 0) return;
    await tx.insert(questionMappings).values(
      list.map((row) => {
        const attribute = attributesByName.get(row.intercomAttribute)!;
        return {
          accountId,
          questionId: row.questionId,
          intercomAttribute: attribute.name,
          intercomDataType: attribute.data_type,
          intercomOptions: attribute.options?.length ? attribute.options : null,
        };
      }),
    );
  });
  await requeueDeliveriesForMappings(accountId, list.map((row) => row.questionId));
  return { ok: true, saved: list.length };
}
