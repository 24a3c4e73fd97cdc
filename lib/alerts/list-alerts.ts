import { and, desc, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alerts } from "@/db/schema";

export type Alert = typeof alerts.$inferSelect;

/** Kinds an admin may dismiss: the others describe a broken setup and close when it is fixed. */
export const DISMISSIBLE_KINDS: readonly string[] = ["failure_rate"];

export async function listOpenAlerts(accountId: string): Promise<Alert[]> {
  const db = await getDb();
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.accountId, accountId), isNull(alerts.resolvedAt)))
    .orderBy(desc(alerts.createdAt));
}

/** Open and closed alerts, newest first, with what the webhook receiver answered. */
export async function listRecentAlerts(accountId: string, limit = 20): Promise<Alert[]> {
  const db = await getDb();
  return db.select().from(alerts).where(eq(alerts.accountId, accountId)).orderBy(desc(alerts.createdAt)).limit(limit);
}

export type DismissAlertResult = { ok: true } | { ok: false; error: string };

export async function dismissAlert(accountId: string, alertId: string): Promise<DismissAlertResult> {
  const db = await getDb();
  const alert = await db.query.alerts.findFirst({
    where: and(eq(alerts.id, alertId), eq(alerts.accountId, accountId), isNull(alerts.resolvedAt)),
  });
  if (!alert) return { ok: false, error: "This alert is already closed." };
  if (!DISMISSIBLE_KINDS.includes(alert.kind)) {
    return { ok: false, error: "This alert closes by itself once the problem is fixed." };
  }
  await db.update(alerts).set({ resolvedAt: new Date() }).where(and(eq(alerts.id, alertId), eq(alerts.accountId, accountId)));
  return { ok: true };
}
