import { z } from "zod";
import { getDb } from "@/db/client";
import { questionMappings } from "@/db/schema";
import { resolveAlert } from "@/lib/alerts/raise-alert";
import { requeueDeliveriesForMappings } from "@/lib/forwarding/broken-mappings";
import { clientForConnection, getLiveConnection, markReconnectRequired } from "@/lib/connections/intercom-connection";
import { IntercomError } from "@/lib/intercom/errors";
import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import {
  attributeSpecFor,
  capLevel,
  countCustomAttributes,
  CUSTOM_ATTRIBUTE_CAP,
  type CapLevel,
} from "./create-question-attribute-rules";
import { mappingAlertSubject } from "./mapping-health-rules";
import { listMappableQuestions, loadIntercomAttributes } from "./question-mappings";

export type CreateQuestionAttributeResult =
  | {
      ok: true;
      attribute: IntercomDataAttribute;
      /** Active custom attributes in the workspace after this one. */
      customAttributeCount: number;
      capLevel: CapLevel;
    }
  | {
      ok: false;
      reason: "not_found" | "not_connected" | "reconnect_required" | "cap_reached" | "invalid" | "intercom_error";
      error: string;
    };

const questionIdSchema = z.uuid();

/**
 * Creates the Intercom attribute a question's answers fit (see attributeSpecFor) and maps the
 * question to it, replacing a mapping it already had (the usual fix for a broken one). Refuses
 * at Intercom's cap rather than letting the create fail.
 */
export async function createQuestionAttribute(accountId: string, questionId: unknown): Promise<CreateQuestionAttributeResult> {
  const id = questionIdSchema.safeParse(questionId);
  const question = id.success ? (await listMappableQuestions(accountId)).find((q) => q.id === id.data) : undefined;
  if (!question) return { ok: false, reason: "not_found", error: "This question no longer exists." };

  const loaded = await loadIntercomAttributes(accountId);
  if (loaded.state !== "ok") {
    return { ok: false, reason: loaded.state === "error" ? "intercom_error" : loaded.state, error: loaded.message };
  }
  const count = countCustomAttributes(loaded.attributes);
  if (capLevel(count) === "full") {
    return {
      ok: false,
      reason: "cap_reached",
      error: `Your Intercom workspace already has ${count} of the ${CUSTOM_ATTRIBUTE_CAP} custom attributes Intercom allows. Archive attributes you no longer use in Intercom (Settings > Data > People), or map this question to an existing attribute.`,
    };
  }

  const spec = attributeSpecFor(
    question,
    loaded.attributes.flatMap((a) => [a.name, a.full_name]),
  );
  if (!spec.ok) return { ok: false, reason: "invalid", error: spec.error };

  const conn = await getLiveConnection(accountId);
  if (!conn) return { ok: false, reason: "reconnect_required", error: "Intercom needs to be reconnected." };
  let attribute: IntercomDataAttribute;
  try {
    // No retries: a create that timed out may have succeeded, and a repeat would fail on the name.
    attribute = await clientForConnection(conn).createDataAttribute(spec.spec);
  } catch (err) {
    if (err instanceof IntercomError && err.kind === "unauthorized") {
      await markReconnectRequired(conn, `Intercom rejected the access token (${err.message})`);
      return { ok: false, reason: "reconnect_required", error: "Intercom rejected Holdfast's access. Reconnect Intercom and try again." };
    }
    if (err instanceof IntercomError && err.kind === "invalid") {
      return { ok: false, reason: "invalid", error: `Intercom refused to create "${spec.spec.name}": ${err.message}` };
    }
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: "intercom_error", error: `Could not create the attribute in Intercom (${detail}). Reload the page before trying again.` };
  }

  const values = {
    intercomAttribute: attribute.name,
    intercomDataType: attribute.data_type,
    intercomOptions: attribute.options?.length ? attribute.options : null,
    status: "ok" as const,
    statusReason: null,
    brokenAt: null,
  };
  const db = await getDb();
  const [mapping] = await db
    .insert(questionMappings)
    .values({ accountId, questionId: question.id, ...values })
    .onConflictDoUpdate({ target: questionMappings.questionId, set: values })
    .returning({ id: questionMappings.id });
  if (mapping) await resolveAlert(accountId, mappingAlertSubject("question", mapping.id));
  // Answers parked on the question's broken mapping now go to the new attribute.
  await requeueDeliveriesForMappings(accountId, [question.id]);
  return { ok: true, attribute, customAttributeCount: count + 1, capLevel: capLevel(count + 1) };
}
