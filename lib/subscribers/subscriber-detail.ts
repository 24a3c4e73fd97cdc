import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import {
  answerDeliveries,
  answers,
  customProperties,
  intercomContacts,
  propertyMappings,
  questionOptions,
  questions,
  subscriberPropertyValues,
  subscribers,
  syncErrors,
} from "@/db/schema";
import { getConnection } from "@/lib/connections/intercom-connection";
import { contactDeepLink, parseRegion } from "@/lib/intercom/hosts";
import { formatPropertyValue, type PropertyValue } from "@/lib/properties/coerce";
import type { PropertyType } from "@/lib/properties/types";
import { explainPick, type PickReason } from "./explain-pick";

const SYNC_ERRORS_SHOWN = 20;

// jsonb read back from our own database is still a boundary: anything unexpected shows as unset.
const storedValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]).catch(null);

export interface SubscriberIntercomLink {
  match: "none" | "matched" | "ambiguous";
  contactId: string | null;
  candidateCount: number;
  linkedAt: Date | null;
  /** Null when no contact is linked or the account has no (live or paused) Intercom connection. */
  deepLink: string | null;
  workspaceName: string | null;
  /** For ambiguous matches: which rule chose this contact over the others. */
  pickReason: PickReason | null;
}

export interface SubscriberPropertyRow {
  propertyId: string;
  key: string;
  name: string;
  type: PropertyType;
  value: PropertyValue;
  /** formatPropertyValue; "—" when unset or never synced. */
  display: string;
  sourceContactId: string | null;
  sourceAttribute: string | null;
  /** The Intercom attribute's label from the property's current mapping. */
  intercomLabel: string | null;
  syncedAt: Date | null;
  /** The source contact was deleted, archived or merged away: the value is kept but no longer current. */
  stale: boolean;
}

export type AnswerDelivery =
  | { state: "not_mapped" }
  | { state: "pending"; attempts: number; nextAttemptAt: Date; lastError: string | null }
  | { state: "delivered"; deliveredAt: Date | null; attribute: string; truncated: boolean }
  | { state: "unknown"; lastError: string | null }
  | { state: "needs_attention"; lastError: string | null }
  | { state: "failed"; reason: string | null }
  | { state: "superseded" };

export interface SubscriberAnswerRow {
  id: string;
  questionPrompt: string;
  kind: "multiple_choice" | "free_text" | "rating";
  /** Option text, free text or "7 / 10"; "(option removed)" when the chosen option was deleted. */
  answer: string;
  reasonCode: string | null;
  answeredAt: Date;
  delivery: AnswerDelivery;
}

export interface SubscriberSyncError {
  id: string;
  message: string;
  contactId: string | null;
  propertyName: string | null;
  createdAt: Date;
}

export interface SubscriberDetail {
  subscriber: {
    id: string;
    email: string;
    name: string | null;
    externalId: string | null;
    plan: string | null;
    status: string;
    mrrCents: number | null;
    subscribedAt: Date | null;
    createdAt: Date;
  };
  intercom: SubscriberIntercomLink;
  properties: SubscriberPropertyRow[];
  syncErrors: SubscriberSyncError[];
  answers: SubscriberAnswerRow[];
}

/** Everything the subscriber page shows, or null when the id is not one of this account's subscribers. */
export async function getSubscriberDetail(accountId: string, subscriberId: string): Promise<SubscriberDetail | null> {
  if (!z.uuid().safeParse(subscriberId).success) return null;
  const db = await getDb();
  const subscriber = await db.query.subscribers.findFirst({
    where: and(eq(subscribers.accountId, accountId), eq(subscribers.id, subscriberId)),
  });
  if (!subscriber) return null;

  const [intercom, properties, errors, answerRows] = await Promise.all([
    loadIntercomLink(accountId, subscriber),
    loadProperties(accountId, subscriber.id),
    loadSyncErrors(accountId, subscriber.id),
    loadAnswers(accountId, subscriber.id),
  ]);
  return {
    subscriber: {
      id: subscriber.id,
      email: subscriber.email,
      name: subscriber.name,
      externalId: subscriber.externalId,
      plan: subscriber.plan,
      status: subscriber.status,
      mrrCents: subscriber.mrrCents,
      subscribedAt: subscriber.subscribedAt,
      createdAt: subscriber.createdAt,
    },
    intercom,
    properties,
    syncErrors: errors,
    answers: answerRows,
  };
}

async function loadIntercomLink(accountId: string, subscriber: typeof subscribers.$inferSelect): Promise<SubscriberIntercomLink> {
  const db = await getDb();
  const [connection, candidates] = await Promise.all([
    getConnection(accountId),
    subscriber.intercomMatch === "ambiguous"
      ? db
          .select({
            contactId: intercomContacts.contactId,
            role: intercomContacts.role,
            externalId: intercomContacts.externalId,
            updatedAt: intercomContacts.contactUpdatedAt,
          })
          .from(intercomContacts)
          .where(and(eq(intercomContacts.accountId, accountId), eq(intercomContacts.emailKey, subscriber.emailKey)))
      : Promise.resolve([]),
  ]);
  // A disconnected workspace may since belong to someone else, so its links are not offered.
  const live = connection && connection.status !== "disconnected" ? connection : null;
  const contactId = subscriber.intercomMatch === "none" ? null : subscriber.intercomContactId;
  return {
    match: subscriber.intercomMatch,
    contactId,
    candidateCount: subscriber.intercomCandidates,
    linkedAt: subscriber.intercomLinkedAt,
    deepLink: live && contactId ? contactDeepLink(parseRegion(live.region), live.workspaceId, contactId) : null,
    workspaceName: live?.workspaceName ?? null,
    pickReason: subscriber.intercomMatch === "ambiguous" ? explainPick(contactId, candidates, subscriber.externalId) : null,
  };
}

async function loadProperties(accountId: string, subscriberId: string): Promise<SubscriberPropertyRow[]> {
  const db = await getDb();
  const rows = await db
    .select({
      property: customProperties,
      value: subscriberPropertyValues,
      intercomLabel: propertyMappings.intercomLabel,
    })
    .from(customProperties)
    .leftJoin(
      subscriberPropertyValues,
      and(
        eq(subscriberPropertyValues.propertyId, customProperties.id),
        eq(subscriberPropertyValues.subscriberId, subscriberId),
        eq(subscriberPropertyValues.accountId, accountId),
      ),
    )
    .leftJoin(
      propertyMappings,
      and(eq(propertyMappings.propertyId, customProperties.id), eq(propertyMappings.accountId, accountId)),
    )
    .where(eq(customProperties.accountId, accountId))
    .orderBy(asc(customProperties.name), asc(customProperties.key));
  return rows.map(({ property, value, intercomLabel }) => {
    const stored = value ? storedValueSchema.parse(value.value) : null;
    return {
      propertyId: property.id,
      key: property.key,
      name: property.name,
      type: property.type,
      value: stored,
      display: formatPropertyValue(stored, property.type),
      sourceContactId: value?.sourceContactId ?? null,
      sourceAttribute: value?.sourceAttribute ?? null,
      intercomLabel,
      syncedAt: value?.syncedAt ?? null,
      stale: value?.stale ?? false,
    };
  });
}

async function loadSyncErrors(accountId: string, subscriberId: string): Promise<SubscriberSyncError[]> {
  const db = await getDb();
  return db
    .select({
      id: syncErrors.id,
      message: syncErrors.message,
      contactId: syncErrors.contactId,
      propertyName: customProperties.name,
      createdAt: syncErrors.createdAt,
    })
    .from(syncErrors)
    .leftJoin(customProperties, and(eq(customProperties.id, syncErrors.propertyId), eq(customProperties.accountId, accountId)))
    .where(and(eq(syncErrors.accountId, accountId), eq(syncErrors.subscriberId, subscriberId)))
    .orderBy(desc(syncErrors.createdAt))
    .limit(SYNC_ERRORS_SHOWN);
}

async function loadAnswers(accountId: string, subscriberId: string): Promise<SubscriberAnswerRow[]> {
  const db = await getDb();
  const rows = await db
    .select({
      answer: answers,
      prompt: questions.prompt,
      kind: questions.kind,
      optionText: questionOptions.text,
      reasonCode: questionOptions.reasonCode,
      delivery: answerDeliveries,
    })
    .from(answers)
    .innerJoin(questions, and(eq(questions.id, answers.questionId), eq(questions.accountId, accountId)))
    .leftJoin(questionOptions, and(eq(questionOptions.id, answers.optionId), eq(questionOptions.accountId, accountId)))
    .leftJoin(answerDeliveries, and(eq(answerDeliveries.answerId, answers.id), eq(answerDeliveries.accountId, accountId)))
    .where(and(eq(answers.accountId, accountId), eq(answers.subscriberId, subscriberId)))
    .orderBy(desc(answers.createdAt), asc(questions.position));
  return rows.map(({ answer, prompt, kind, optionText, reasonCode, delivery }) => ({
    id: answer.id,
    questionPrompt: prompt,
    kind,
    answer: answerText(kind, answer, optionText),
    reasonCode: reasonCode ?? null,
    answeredAt: answer.createdAt,
    delivery: describeDelivery(delivery),
  }));
}

function answerText(kind: SubscriberAnswerRow["kind"], answer: typeof answers.$inferSelect, optionText: string | null): string {
  switch (kind) {
    case "multiple_choice":
      return optionText ?? "(option removed)";
    case "free_text":
      return answer.textValue?.trim() ? answer.textValue : "(left blank)";
    case "rating":
      return answer.ratingValue === null ? "(no rating)" : `${answer.ratingValue} / 10`;
  }
}

// An answer with no outbox row was given while its question had no Intercom mapping.
function describeDelivery(delivery: typeof answerDeliveries.$inferSelect | null): AnswerDelivery {
  if (!delivery) return { state: "not_mapped" };
  switch (delivery.state) {
    case "pending":
      return { state: "pending", attempts: delivery.attempts, nextAttemptAt: delivery.nextAttemptAt, lastError: delivery.lastError };
    case "delivered":
      return { state: "delivered", deliveredAt: delivery.deliveredAt, attribute: delivery.attribute, truncated: delivery.truncated };
    case "unknown":
      return { state: "unknown", lastError: delivery.lastError };
    case "needs_attention":
      return { state: "needs_attention", lastError: delivery.lastError };
    case "failed":
      return { state: "failed", reason: delivery.lastError };
    case "superseded":
      return { state: "superseded" };
  }
}
