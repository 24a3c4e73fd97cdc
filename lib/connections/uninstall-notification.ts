import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { intercomConnections } from "@/db/schema";
import { IntercomError } from "@/lib/intercom/errors";
import { clientForConnection, markReconnectRequired } from "./intercom-connection";

export const UNINSTALLED_REASON = "The Intercom app was uninstalled from this workspace";
/** Intercom gives a notification receiver 5 s; the confirming call must fit well inside. */
const CONFIRM_TIMEOUT_MS = 3000;

export const uninstallNotificationSchema = z.object({ app_id: z.string().trim().min(1).max(100) });

export type UninstallParse = { ok: true; appId: string } | { ok: false; error: string };

export type UninstallOutcome = "revoked" | "still_authorized" | "unknown_workspace" | "already_paused" | "unconfirmed";

/** The body Intercom POSTs: `{"app_id": "..."}`. Anything else is refused with a reason. */
export function parseUninstallNotification(raw: string): UninstallParse {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: "Body must be JSON like {\"app_id\": \"...\"}" };
  }
  const parsed = uninstallNotificationSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: "app_id is required (a workspace id)" };
  return { ok: true, appId: parsed.data.app_id };
}

/**
 * The uninstall notification is unsigned, so anyone could send one: it only triggers a check.
 * Intercom itself must confirm, by answering 401 to the stored token, before the connection is
 * paused; a 200 means the notice is forged or stale and is ignored.
 */
export async function confirmUninstall(appId: string): Promise<UninstallOutcome> {
  const db = await getDb();
  const conn = await db.query.intercomConnections.findFirst({
    where: and(eq(intercomConnections.workspaceId, appId), ne(intercomConnections.status, "disconnected")),
  });
  if (!conn || !conn.accessTokenEnc) return "unknown_workspace";
  if (conn.status === "reconnect_required") return "already_paused";
  try {
    await clientForConnection(conn, { retries: 0, timeoutMs: CONFIRM_TIMEOUT_MS }).me();
    return "still_authorized";
  } catch (err) {
    if (!(err instanceof IntercomError)) throw err;
    if (err.kind !== "unauthorized") {
      // Cannot tell: the next call any feature makes with this token will see the 401 anyway.
      console.warn("[intercom uninstall] could not confirm", { workspaceId: appId, kind: err.kind, message: err.message });
      return "unconfirmed";
    }
    await markReconnectRequired(conn, UNINSTALLED_REASON);
    return "revoked";
  }
}
