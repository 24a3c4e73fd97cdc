import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alerts } from "@/db/schema";
import { runAfterResponse } from "@/lib/widget/after-response";
import { sendAlertWebhook } from "./alert-webhook";

export type AlertKind = "connection_revoked" | "mapping_broken" | "failure_rate";

export interface AlertInput {
  kind: AlertKind;
  subject: string;
  message: string;
  fixUrl?: string;
}

/**
 * Opens an alert unless one with this subject is already open (idempotent per open subject).
 * A newly opened alert is also POSTed to the account's alert webhook, after the response and
 * never into the caller: detection code in the sync or the outbox must not wait on a receiver.
 */
export async function raiseAlert(accountId: string, alert: AlertInput): Promise<void> {
  const db = await getDb();
  const [opened] = await db
    .insert(alerts)
    .values({ accountId, kind: alert.kind, subject: alert.subject, message: alert.message, fixUrl: alert.fixUrl ?? null })
    .onConflictDoNothing({ target: [alerts.accountId, alerts.subject], where: isNull(alerts.resolvedAt) })
    .returning({ id: alerts.id });
  if (opened) runAfterResponse(() => sendAlertWebhook(accountId, opened.id));
}

/** Closes the open alert with this subject, if any; a later raise opens a fresh one. */
export async function resolveAlert(accountId: string, subject: string): Promise<void> {
  const db = await getDb();
  await db
    .update(alerts)
    .set({ resolvedAt: new Date() })
    .where(and(eq(alerts.accountId, accountId), eq(alerts.subject, subject), isNull(alerts.resolvedAt)));
}
