import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { intercomConnections } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/encryption";
import { parseRegion } from "@/lib/intercom/hosts";
import { uninstall } from "@/lib/intercom/oauth";
import { getConnection } from "./intercom-connection";

export type DisconnectResult =
  | { ok: true; revoked: boolean; warning?: string }
  | { ok: false; error: string };

/**
 * Revokes the token at Intercom (uninstalling the app there) and forgets it here. Property and
 * question mappings are kept, so reconnecting picks up where the account left off.
 */
export async function disconnectIntercom(accountId: string): Promise<DisconnectResult> {
  const conn = await getConnection(accountId);
  if (!conn || conn.status === "disconnected") return { ok: false, error: "Intercom is not connected." };

  let revoked = false;
  let warning: string | undefined;
  if (conn.accessTokenEnc) {
    try {
      await uninstall(decryptSecret(conn.accessTokenEnc), parseRegion(conn.region));
      revoked = true;
    } catch (err) {
      // The admin asked to disconnect: failing to reach Intercom must not keep the token in use here.
      console.warn("[intercom disconnect] uninstall failed", { accountId, message: (err as Error).message });
      warning =
        "Holdfast forgot its Intercom access, but Intercom could not confirm the app was removed. " +
        "You can remove Holdfast under Settings > Apps in Intercom.";
    }
  }

  const db = await getDb();
  await db
    .update(intercomConnections)
    .set({ status: "disconnected", statusReason: "Disconnected by an admin", accessTokenEnc: null, updatedAt: new Date() })
    .where(and(eq(intercomConnections.id, conn.id), eq(intercomConnections.accountId, accountId)));
  return warning ? { ok: true, revoked, warning } : { ok: true, revoked };
}
