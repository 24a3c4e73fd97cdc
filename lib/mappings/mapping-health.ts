import { and, eq, isNull, like, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alerts, propertyMappings, questionMappings } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts/raise-alert";
import { clientForConnection, getConnection, markReconnectRequired } from "@/lib/connections/intercom-connection";
import { requeueDeliveriesForMappings } from "@/lib/forwarding/broken-mappings";
import { IntercomError } from "@/lib/intercom/errors";
import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import {
  diagnosePropertyMapping,
  diagnoseQuestionMapping,
  mappingAlertSubject,
  mappingFixUrl,
  type MappingDirection,
} from "./mapping-health-rules";
import { listMappableQuestions } from "./question-mappings";
import { readStoredOptions } from "./stored-options";

export interface BrokenMapping {
  direction: MappingDirection;
  id: string;
  attribute: string;
  reason: string;
}

export type MappingHealthResult =
  | { ok: true; checked: number; broken: BrokenMapping[]; newlyBroken: number; recovered: number }
  | { ok: false; reason: "not_connected" | "reconnect_required" | "intercom_error"; error: string };

/**
 * Compares every saved mapping, both directions, with Intercom's data attributes as they are
 * now (archived ones included, so "archived" can be told from "deleted"). Broken mappings get
 * their reason and an alert with a fix link; mappings that work again are cleared: a recovered
 * property mapping is backfilled again by the sync (it missed changes while skipped), and answers
 * parked on a recovered question mapping go back in the delivery queue.
 */
export async function checkMappingHealth(accountId: string): Promise<MappingHealthResult> {
  const conn = await getConnection(accountId);
  if (!conn || conn.status === "disconnected" || !conn.accessTokenEnc) {
    return { ok: false, reason: "not_connected", error: "Intercom is not connected." };
  }
  if (conn.status === "reconnect_required") {
    return { ok: false, reason: "reconnect_required", error: "Intercom needs to be reconnected before mappings can be checked." };
  }
  let attributes: IntercomDataAttribute[];
  try {
    attributes = (await clientForConnection(conn, { retries: 1 }).listDataAttributes(true)).filter(
      (a) => a.model === undefined || a.model === "contact",
    );
  } catch (err) {
    if (err instanceof IntercomError && err.kind === "unauthorized") {
      await markReconnectRequired(conn, `Intercom rejected the access token (${err.message})`);
      return { ok: false, reason: "reconnect_required", error: "Intercom rejected Holdfast's access token." };
    }
    // Without the attribute list nothing can be judged: keep every mapping as it is.
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: "intercom_error", error: `Could not load attributes from Intercom (${detail}).` };
  }

  const byFullName = new Map(attributes.map((a) => [a.full_name, a]));
  // Custom attributes win a name shared with a standard one: answers only ever go to custom ones.
  const byName = new Map([...attributes.filter((a) => !a.custom), ...attributes.filter((a) => a.custom)].map((a) => [a.name, a]));

  const db = await getDb();
  const [properties, questionRows, questionsById] = await Promise.all([
    db.select().from(propertyMappings).where(eq(propertyMappings.accountId, accountId)),
    db.select().from(questionMappings).where(eq(questionMappings.accountId, accountId)),
    listMappableQuestions(accountId).then((qs) => new Map(qs.map((q) => [q.id, q]))),
  ]);

  const broken: BrokenMapping[] = [];
  let newlyBroken = 0;
  let recovered = 0;
  const recoveredQuestions: string[] = [];
  const now = new Date();

  for (const m of properties) {
    const reason = diagnosePropertyMapping(m, byFullName);
    if (reason) {
      broken.push({ direction: "property", id: m.id, attribute: m.intercomAttribute, reason });
      if (m.status !== "broken" || m.statusReason !== reason) {
        if (m.status !== "broken") newlyBroken++;
        await db
          .update(propertyMappings)
          .set({ status: "broken", statusReason: reason })
          .where(and(eq(propertyMappings.id, m.id), eq(propertyMappings.accountId, accountId)));
      }
      await raiseBroken(accountId, "property", m.id, `Property mapping "${m.intercomLabel}" is broken: ${reason}. It is skipped by the sync until fixed.`);
    } else if (m.status === "broken") {
      recovered++;
      await db
        .update(propertyMappings)
        .set({ status: "ok", statusReason: null, backfilledAt: null })
        .where(and(eq(propertyMappings.id, m.id), eq(propertyMappings.accountId, accountId)));
      await resolveAlert(accountId, mappingAlertSubject("property", m.id));
    }
  }

  for (const m of questionRows) {
    const question = questionsById.get(m.questionId);
    if (!question) continue;
    // An unreadable copy of the options is judged as unknown and, below, reloaded from Intercom.
    const stored = readStoredOptions(m.intercomOptions);
    if (!stored.ok) console.warn(`[mappings] reloading the unreadable stored options of question mapping ${m.id} from Intercom`);
    const reason = diagnoseQuestionMapping({ ...m, intercomOptions: stored.ok ? stored.options : null }, question, byName);
    if (reason) {
      broken.push({ direction: "question", id: m.id, attribute: m.intercomAttribute, reason });
      if (m.status !== "broken" || m.statusReason !== reason) {
        if (m.status !== "broken") newlyBroken++;
        await db
          .update(questionMappings)
          .set({ status: "broken", statusReason: reason, brokenAt: m.brokenAt ?? now })
          .where(and(eq(questionMappings.id, m.id), eq(questionMappings.accountId, accountId)));
      }
      await raiseBroken(
        accountId,
        "question",
        m.id,
        `Answers to "${question.prompt}" cannot be written to Intercom ("${m.intercomAttribute}": ${reason}). They wait until the mapping is fixed.`,
      );
      continue;
    }
    // Healthy: also take in options Intercom added, so the flow editor checks against the current list.
    const options = byName.get(m.intercomAttribute)?.options;
    const current = options?.length ? options : null;
    const optionsChanged = !stored.ok || JSON.stringify(current) !== JSON.stringify(stored.options);
    if (m.status === "broken") recovered++;
    if (m.status === "broken" || optionsChanged) {
      await db
        .update(questionMappings)
        .set({ status: "ok", statusReason: null, brokenAt: null, intercomOptions: current })
        .where(and(eq(questionMappings.id, m.id), eq(questionMappings.accountId, accountId)));
    }
    if (m.status === "broken") {
      recoveredQuestions.push(m.questionId);
      await resolveAlert(accountId, mappingAlertSubject("question", m.id));
    }
  }

  await requeueDeliveriesForMappings(accountId, recoveredQuestions);
  await resolveStaleMappingAlerts(accountId, [...properties.map((m) => m.id), ...questionRows.map((m) => m.id)]);
  return { ok: true, checked: properties.length + questionRows.length, broken, newlyBroken, recovered };
}

function raiseBroken(accountId: string, direction: MappingDirection, id: string, message: string) {
  return raiseAlert(accountId, {
    kind: "mapping_broken",
    subject: mappingAlertSubject(direction, id),
    message,
    fixUrl: mappingFixUrl(direction, id),
  });
}

/**
 * Saving mappings replaces their rows (new ids), so alerts about mappings that no longer exist
 * would stay open forever: close them. `currentIds` skips a lookup when the caller has them.
 */
export async function resolveStaleMappingAlerts(accountId: string, currentIds?: string[]): Promise<number> {
  const db = await getDb();
  const ids =
    currentIds ??
    (
      await Promise.all([
        db.select({ id: propertyMappings.id }).from(propertyMappings).where(eq(propertyMappings.accountId, accountId)),
        db.select({ id: questionMappings.id }).from(questionMappings).where(eq(questionMappings.accountId, accountId)),
      ])
    )
      .flat()
      .map((r) => r.id);
  const live = new Set(ids);
  const open = await db
    .select({ subject: alerts.subject })
    .from(alerts)
    .where(
      and(
        eq(alerts.accountId, accountId),
        isNull(alerts.resolvedAt),
        or(like(alerts.subject, "property-mapping:%"), like(alerts.subject, "question-mapping:%")),
      ),
    );
  const stale = open.filter((a) => !live.has(a.subject.slice(a.subject.indexOf(":") + 1)));
  for (const a of stale) await resolveAlert(accountId, a.subject);
  return stale.length;
}
