import { desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { syncRuns } from "@/db/schema";
import { getConnection, type IntercomConnection } from "./intercom-connection";

export type ConnectionSummary = Omit<IntercomConnection, "accessTokenEnc">;
export type LastSyncRun = typeof syncRuns.$inferSelect;

export interface IntercomOverview {
  connection: ConnectionSummary | null;
  connectedBy: { name: string; email: string } | null;
  lastRun: LastSyncRun | null;
}

/** What the settings pages show about the account's Intercom link; never includes the token. */
export async function getIntercomOverview(accountId: string): Promise<IntercomOverview> {
  const conn = await getConnection(accountId);
  if (!conn) return { connection: null, connectedBy: null, lastRun: null };
  const { accessTokenEnc: _token, ...connection } = conn;
  const db = await getDb();
  const [admin, lastRun] = await Promise.all([
    conn.connectedBy
      ? db.query.admins.findFirst({
          where: (a, { and, eq }) => and(eq(a.id, conn.connectedBy as string), eq(a.accountId, accountId)),
          columns: { name: true, email: true },
        })
      : undefined,
    db.select().from(syncRuns).where(eq(syncRuns.accountId, accountId)).orderBy(desc(syncRuns.startedAt)).limit(1),
  ]);
  return { connection, connectedBy: admin ?? null, lastRun: lastRun[0] ?? null };
}

/** Just the state, for badges and banners that should not load more than they show. */
export async function getConnectionStatus(accountId: string) {
  const conn = await getConnection(accountId);
  return conn ? { status: conn.status, workspaceName: conn.workspaceName, statusReason: conn.statusReason } : null;
}
