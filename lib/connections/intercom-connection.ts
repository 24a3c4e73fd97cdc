import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { raiseAlert } from "@/lib/alerts/raise-alert";
import { intercomConnections } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/encryption";
import { createIntercomClient, type IntercomClientOptions } from "@/lib/intercom/client";
import { parseRegion } from "@/lib/intercom/hosts";
import { workspaceRateBudget } from "@/lib/intercom/rate-budget-store";

export type IntercomConnection = typeof intercomConnections.$inferSelect;

/** The account's Intercom connection in any state, or null when it never connected. */
export async function getConnection(accountId: string): Promise<IntercomConnection | null> {
  const db = await getDb();
  const row = await db.query.intercomConnections.findFirst({ where: (c, { eq }) => eq(c.accountId, accountId) });
  return row ?? null;
}

/** A live connection (token present, not revoked), or null. */
export async function getLiveConnection(accountId: string): Promise<IntercomConnection | null> {
  const conn = await getConnection(accountId);
  return conn && conn.status === "connected" && conn.accessTokenEnc ? conn : null;
}

/** An Intercom client speaking for this connection: regional host, decrypted token, the workspace's shared rate budget. */
export function clientForConnection(conn: IntercomConnection, opts: Omit<IntercomClientOptions, "token" | "region"> = {}) {
  if (!conn.accessTokenEnc) throw new Error("This Intercom connection has no token; reconnect Intercom.");
  return createIntercomClient({
    budget: workspaceRateBudget(conn.workspaceId),
    ...opts,
    token: decryptSecret(conn.accessTokenEnc),
    region: parseRegion(conn.region),
  });
}

export const CONNECTION_ALERT_SUBJECT = "connection";

/**
 * Intercom no longer accepts the token (401 on any call, or a confirmed uninstall): pause the
 * connection's sync and deliveries, keep everything queued, and ask an admin to reconnect.
 */
export async function markReconnectRequired(conn: Pick<IntercomConnection, "id" | "accountId">, reason: string) {
  const db = await getDb();
  await db
    .update(intercomConnections)
    .set({ status: "reconnect_required", statusReason: reason, updatedAt: new Date() })
    .where(and(eq(intercomConnections.id, conn.id), eq(intercomConnections.status, "connected")));
  await raiseAlert(conn.accountId, {
    kind: "connection_revoked",
    subject: CONNECTION_ALERT_SUBJECT,
    message: `${reason}. Answers and syncs are paused, nothing is lost: reconnect Intercom to resume them.`,
    fixUrl: "/settings/integrations/intercom",
  });
}
