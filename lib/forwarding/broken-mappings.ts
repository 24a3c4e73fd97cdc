import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { answerDeliveries, answers, questionMappings } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts/raise-alert";
import { resolveStaleMappingAlerts } from "@/lib/mappings/mapping-health";
import { mappingAlertSubject, mappingFixUrl } from "@/lib/mappings/mapping-health-rules";

export const MAPPING_BROKEN = "mapping_broken";

/** Broken question mappings among these attributes, with Intercom's reason. */
export async function findBrokenMappings(accountId: string, attributes: string[]): Promise<Map<string, string>> {
  if (attributes.length === 0) return new Map();
  const db = await getDb();
  const rows = await db
    .select({ attribute: questionMappings.intercomAttribute, reason: questionMappings.statusReason })
    .from(questionMappings)
    .where(
      and(
        eq(questionMappings.accountId, accountId),
        inArray(questionMappings.intercomAttribute, attributes),
        eq(questionMappings.status, "broken"),
      ),
    );
  return new Map(rows.map((r) => [r.attribute, r.reason ?? "the mapping is broken"]));
}

/**
 * Intercom refused an attribute (unknown, archived, wrong type, value outside its options):
 * retrying cannot help until an admin fixes the mapping. Marks it broken with Intercom's reason,
 * parks every open delivery to that attribute, and tells the admin.
 */
export async function markMappingBroken(accountId: string, attribute: string, reason: string): Promise<void> {
  const db = await getDb();
  const now = new Date();
  const [mapping] = await db
    .update(questionMappings)
    .set({ status: "broken", statusReason: reason, brokenAt: sql`coalesce(${questionMappings.brokenAt}, now())` })
    .where(and(eq(questionMappings.accountId, accountId), eq(questionMappings.intercomAttribute, attribute)))
    .returning({ id: questionMappings.id });
  await db
    .update(answerDeliveries)
    .set({ state: "needs_attention", attentionReason: MAPPING_BROKEN, lastError: `Mapping broken: ${reason}`, updatedAt: now })
    .where(
      and(
        eq(answerDeliveries.accountId, accountId),
        eq(answerDeliveries.attribute, attribute),
        inArray(answerDeliveries.state, ["pending", "unknown"]),
      ),
    );
  if (!mapping) return;
  await raiseAlert(accountId, {
    kind: "mapping_broken",
    subject: mappingAlertSubject("question", mapping.id),
    message: `Intercom refused answers for "${attribute}": ${reason}. They wait until the question mapping is fixed.`,
    fixUrl: mappingFixUrl("question", mapping.id),
  });
}

/**
 * After an admin saves working mappings for these questions: answers parked on a broken mapping
 * go back in the queue (to the mapping's current attribute), pending ones follow the mapping to
 * a new attribute, and the mapping alerts close. Returns how many were requeued.
 */
export async function requeueDeliveriesForMappings(accountId: string, questionIds: string[]): Promise<number> {
  if (questionIds.length === 0) return 0;
  const db = await getDb();
  const mappings = await db
    .select()
    .from(questionMappings)
    .where(
      and(
        eq(questionMappings.accountId, accountId),
        inArray(questionMappings.questionId, questionIds),
        eq(questionMappings.status, "ok"),
      ),
    );
  let requeued = 0;
  for (const mapping of mappings) {
    const now = new Date();
    // By answer, not answer_deliveries.question_id: rows from before that column existed count too.
    const answerIds = db
      .select({ id: answers.id })
      .from(answers)
      .where(and(eq(answers.accountId, accountId), eq(answers.questionId, mapping.questionId)));
    const parked = await db
      .update(answerDeliveries)
      .set({
        state: "pending",
        attribute: mapping.intercomAttribute,
        attempts: 0,
        nextAttemptAt: now,
        attentionReason: null,
        lastError: null,
        lastErrorCode: null,
        updatedAt: now,
      })
      .where(
        and(
          eq(answerDeliveries.accountId, accountId),
          inArray(answerDeliveries.answerId, answerIds),
          eq(answerDeliveries.state, "needs_attention"),
          eq(answerDeliveries.attentionReason, MAPPING_BROKEN),
        ),
      )
      .returning({ id: answerDeliveries.id });
    requeued += parked.length;
    await db
      .update(answerDeliveries)
      .set({ attribute: mapping.intercomAttribute, updatedAt: now })
      .where(
        and(
          eq(answerDeliveries.accountId, accountId),
          inArray(answerDeliveries.answerId, answerIds),
          eq(answerDeliveries.state, "pending"),
          ne(answerDeliveries.attribute, mapping.intercomAttribute),
        ),
      );
    await resolveAlert(accountId, mappingAlertSubject("question", mapping.id));
  }
  // Saving replaces mapping rows, so alerts about the old rows are closed here too.
  await resolveStaleMappingAlerts(accountId);
  return requeued;
}
