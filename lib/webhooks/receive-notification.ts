import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { intercomConnections, webhookEvents } from "@/db/schema";
import { storableJson } from "@/lib/text/storable";
import { actionForTopic, itemRef, notificationKey, notificationSchema } from "./notification";
import { checkIntercomSignature } from "./signature";

export type ReceiveResult =
  | { status: "queued"; eventId: string }
  | { status: "recorded" | "duplicate" | "unknown_app" }
  | { status: "rejected"; httpStatus: 400 | 401; error: string };

/**
 * Verifies, routes and stores one notification; applying it is left to processWebhookEvents so
 * Intercom gets its answer well within 5 s. The signature is checked on the raw bytes before
 * anything is parsed.
 */
export async function receiveIntercomNotification(rawBody: Uint8Array, headers: Headers): Promise<ReceiveResult> {
  // Topic notifications are signed with X-Hub-Signature only (API-NOTES §5.4).
  const signature = checkIntercomSignature(rawBody, headers, ["hub"]);
  if (!signature.ok) {
    console.warn(`[webhooks] rejected an Intercom notification: ${signature.error}`);
    return { status: "rejected", httpStatus: 401, error: signature.error };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(rawBody).toString("utf8"));
  } catch {
    return { status: "rejected", httpStatus: 400, error: "Body is not JSON" };
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success) return { status: "rejected", httpStatus: 400, error: "Not an Intercom notification_event" };
  const n = parsed.data;

  const db = await getDb();
  const conn = await connectionFor(n.app_id);
  if (!conn) {
    // Answered 200 all the same: an error would only make Intercom retry, then pause the subscription.
    console.warn(`[webhooks] dropped ${n.topic} for workspace ${n.app_id}: no Holdfast account is connected to it`);
    return { status: "unknown_app" };
  }

  const ref = itemRef(n);
  const recordOnly = actionForTopic(n.topic) === "record";
  const [stored] = await db
    .insert(webhookEvents)
    .values({
      notificationId: notificationKey(n),
      accountId: conn.accountId,
      workspaceId: n.app_id,
      topic: n.topic,
      contactId: ref.contactId,
      itemUpdatedAt: ref.updatedAt,
      payload: storableJson(json),
      ...(recordOnly ? { status: "processed", processedAt: new Date() } : {}),
    })
    .onConflictDoNothing({ target: [webhookEvents.workspaceId, webhookEvents.notificationId] })
    .returning({ id: webhookEvents.id });
  if (!stored) return { status: "duplicate" };
  return recordOnly ? { status: "recorded" } : { status: "queued", eventId: stored.id };
}

// A burst is thousands of notifications for one workspace; its routing is looked up once per
// interval. A disconnect made meanwhile is still honoured: processing checks the connection.
const ROUTE_CACHE_MS = 10_000;
const routes = new Map<string, { accountId: string; until: number }>();

/** One endpoint serves every workspace that installed the app (API-NOTES §5.1): app_id routes. */
async function connectionFor(appId: string): Promise<{ accountId: string } | null> {
  const cached = routes.get(appId);
  if (cached && cached.until > Date.now()) return cached;
  const db = await getDb();
  const [conn] = await db
    .select({ accountId: intercomConnections.accountId })
    .from(intercomConnections)
    .where(and(eq(intercomConnections.workspaceId, appId), inArray(intercomConnections.status, ["connected", "reconnect_required"])))
    .limit(1);
  if (!conn) {
    routes.delete(appId);
    return null;
  }
  routes.set(appId, { accountId: conn.accountId, until: Date.now() + ROUTE_CACHE_MS });
  return conn;
}
