import { eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { hasPostgresCode, UNIQUE_VIOLATION } from "@/db/postgres-errors";
import { intercomConnections, intercomContacts, subscribers, syncState } from "@/db/schema";
import { resolveAlert } from "@/lib/alerts/raise-alert";
import { encryptSecret } from "@/lib/crypto/encryption";
import { createIntercomClient } from "@/lib/intercom/client";
import { IntercomError } from "@/lib/intercom/errors";
import { parseRegion } from "@/lib/intercom/hosts";
import { authorizeUrl, exchangeCode } from "@/lib/intercom/oauth";
import type { IntercomMe } from "@/lib/intercom/schemas";
import { requestFullSync } from "@/lib/sync/sync-state";
import type { ConnectErrorCode } from "./connect-errors";
import type { IntercomConnection } from "./intercom-connection";
import { consumeOAuthState, createOAuthState } from "./oauth-state";
import { CONNECTION_ALERT_SUBJECT } from "./intercom-connection";

export type ConnectResult =
  | { ok: true; connection: IntercomConnection }
  | { ok: false; code: ConnectErrorCode; message: string };

/** Starts the consent step: the raw state goes to the browser (cookie) and to Intercom (URL). */
export async function startIntercomConnect({ accountId, adminId }: { accountId: string; adminId: string }) {
  const state = await createOAuthState(accountId, adminId);
  return { state, url: authorizeUrl(state) };
}

export interface CompleteConnectInput {
  accountId: string;
  adminId: string;
  code?: string | null;
  state?: string | null;
  /** Intercom's `error` parameter, e.g. access_denied when consent is declined. */
  error?: string | null;
}

/**
 * Finishes the OAuth callback for the signed-in admin: spends the state, exchanges the code and
 * stores the workspace. The route has already checked the state against this browser's cookie.
 */
export async function completeIntercomConnect(input: CompleteConnectInput): Promise<ConnectResult> {
  const { accountId, adminId, code, state, error } = input;
  if (!state) return fail("state_mismatch", "The callback carried no state");
  // Spent before the token exchange, so a replayed callback can never reach Intercom.
  const problem = await consumeOAuthState(state, accountId, adminId);
  if (problem) return fail(problem, `OAuth state refused: ${problem}`);
  if (error) return fail("denied", `Intercom returned error=${error}`);
  if (!code) return fail("bad_code", "The callback carried no authorization code");

  let token: string;
  try {
    token = await exchangeCode(code);
  } catch (err) {
    return failFromIntercom(err, "bad_code", "token exchange");
  }

  let me: IntercomMe;
  try {
    // The region is only known once /me answers; the US host routes every region's tokens.
    me = await createIntercomClient({ token, region: "US", retries: 1 }).me();
  } catch (err) {
    return failFromIntercom(err, "intercom_rejected", "GET /me");
  }

  const workspaceId = me.app.id_code;
  if (await isWorkspaceLiveElsewhere(workspaceId, accountId)) {
    return fail("workspace_taken", `Workspace ${workspaceId} is live on another account`);
  }
  try {
    const connection = await saveConnection(accountId, adminId, me, token);
    await resolveAlert(accountId, CONNECTION_ALERT_SUBJECT);
    return { ok: true, connection };
  } catch (err) {
    // Two accounts finishing at once: the partial unique index decides, and the loser lands here.
    if (hasPostgresCode(err, UNIQUE_VIOLATION)) return fail("workspace_taken", `Workspace ${workspaceId} was taken concurrently`);
    throw err;
  }
}

async function isWorkspaceLiveElsewhere(workspaceId: string, accountId: string): Promise<boolean> {
  const db = await getDb();
  const other = await db.query.intercomConnections.findFirst({
    where: (c, { and, eq, ne }) =>
      and(eq(c.workspaceId, workspaceId), ne(c.accountId, accountId), ne(c.status, "disconnected")),
    columns: { id: true },
  });
  return Boolean(other);
}

async function saveConnection(accountId: string, adminId: string, me: IntercomMe, token: string) {
  const db = await getDb();
  const now = new Date();
  const values = {
    workspaceId: me.app.id_code,
    workspaceName: me.app.name,
    region: parseRegion(me.app.region),
    // Not "UTC" when /me says nothing: a guessed zone moves the day-truncated search bound by up
    // to 14 hours and skips the changes in between; unknown, the sync searches two days back.
    timezone: me.app.timezone || null,
    accessTokenEnc: encryptSecret(token),
    status: "connected" as const,
    statusReason: null,
    connectedBy: adminId,
    connectedAt: now,
    updatedAt: now,
  };
  return db.transaction(async (tx) => {
    const previous = await tx.query.intercomConnections.findFirst({
      where: (c, { eq }) => eq(c.accountId, accountId),
      columns: { workspaceId: true },
    });
    const [connection] = await tx
      .insert(intercomConnections)
      .values({ accountId, ...values })
      .onConflictDoUpdate({ target: intercomConnections.accountId, set: values })
      .returning();
    if (!connection) throw new Error("connection upsert returned nothing");
    await requestFullSync(tx, connection);
    if (previous && previous.workspaceId !== connection.workspaceId) await forgetPreviousWorkspace(tx, accountId, connection.id);
    return connection;
  });
}

/**
 * Contact ids and the sync watermark belong to the workspace they came from: after switching
 * workspaces they would link subscribers to the wrong people. The full sync re-links them.
 */
async function forgetPreviousWorkspace(tx: Tx, accountId: string, connectionId: string) {
  await tx.update(syncState).set({ watermark: null }).where(eq(syncState.connectionId, connectionId));
  await tx.delete(intercomContacts).where(eq(intercomContacts.accountId, accountId));
  await tx
    .update(subscribers)
    .set({ intercomContactId: null, intercomMatch: "none", intercomCandidates: 0, intercomLinkedAt: null, updatedAt: new Date() })
    .where(eq(subscribers.accountId, accountId));
}

function failFromIntercom(err: unknown, rejectedCode: ConnectErrorCode, step: string): ConnectResult {
  if (!(err instanceof IntercomError)) throw err;
  const code: ConnectErrorCode = err.retryable || err.kind === "bad_response" ? "intercom_unreachable" : rejectedCode;
  console.warn(`[intercom connect] ${step} failed`, { kind: err.kind, ...err.details, message: err.message });
  return fail(code, `${step}: ${err.message}`);
}

function fail(code: ConnectErrorCode, message: string): ConnectResult {
  return { ok: false, code, message };
}
