import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { intercomConnections } from "@/db/schema";
import { IntercomError } from "@/lib/intercom/errors";
import { checkIntercomSignature } from "@/lib/webhooks/signature";
import { clientForConnection, markReconnectRequired } from "./intercom-connection";

export const UNINSTALLED_REASON = "The Intercom app was uninstalled from this workspace";
/** Intercom gives a notification receiver 5 s; the confirming call must fit well inside. */
const CONFIRM_TIMEOUT_MS = 3000;

const uninstallNotificationSchema = z.object({ app_id: z.string().trim().min(1).max(100) });

export type UninstallNotice = { ok: true; appId: string } | { ok: false; status: 400 | 401; error: string };

export type UninstallOutcome = "revoked" | "still_authorized" | "unknown_workspace" | "already_paused" | "unconfirmed";

/**
 * The body Intercom POSTs, `{"app_id": "..."}`, signed over its raw bytes. X-Body-Signature is what
 * uninstall notices carry; X-Hub-Signature is accepted too, since Intercom does not document it
 * (see lib/webhooks/signature.ts). Unsigned or wrongly signed notices are refused before parsing.
 */
export function receiveUninstallNotification(rawBody: Uint8Array, headers: Headers): UninstallNotice {
  const signature = checkIntercomSignature(rawBody, headers, ["body", "hub"]);
  if (!signature.ok) {
    console.warn(`[intercom uninstall] rejected a notice: ${signature.error}`);
    return { ok: false, status: 401, error: signature.error };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(rawBody).toString("utf8"));
  } catch {
    return { ok: false, status: 400, error: "Body must be JSON like {\"app_id\": \"...\"}" };
  }
  const parsed = uninstallNotificationSchema.safeParse(json);
  if (!parsed.success) return { ok: false, status: 400, error: "app_id is required (a workspace id)" };
  return { ok: true, appId: parsed.data.app_id };
}

/**
 * A signed notice only triggers a check: a signature carries no timestamp, so an old notice
 * replayed after a reinstall would verify too. Intercom itself must confirm, by answering 401 to
 * the stored token, before the connection is paused; a 200 means the notice is stale and is ignored.
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
