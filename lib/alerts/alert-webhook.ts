import { createHmac, randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { accounts, alerts } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/encryption";
import { env } from "@/lib/env";
import { RefusedDestinationError, sendTimeLookup, type ResolveHost } from "./webhook-destination";

export const ALERT_WEBHOOK_TIMEOUT_MS = 5_000;
export const SIGNATURE_HEADER = "Holdfast-Signature";

export interface AlertPayload {
  type: "holdfast.alert";
  id: string;
  kind: string;
  subject: string;
  message: string;
  fix_url: string | null;
  account_id: string;
  created_at: string;
}

export type WebhookResult = { ok: true; status: number } | { ok: false; error: string };

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`: the timestamp lets receivers reject replays. */
export function signAlertBody(secret: string, body: string, timestamp: number): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

/**
 * One signed POST; answers what happened instead of throwing (the receiver is the customer's
 * server). Sent with node:http(s) rather than fetch because only they let the connection use
 * the addresses the destination check just approved (`sendTimeLookup`).
 */
export async function postAlertWebhook(url: string, secret: string, payload: AlertPayload, resolve?: ResolveHost): Promise<WebhookResult> {
  const body = JSON.stringify(payload);
  try {
    const target = new URL(url);
    const status = await post(target, body, sendTimeLookup(target, resolve), {
      "Content-Type": "application/json",
      "User-Agent": "Holdfast-Alerts/1",
      [SIGNATURE_HEADER]: signAlertBody(secret, body, Math.floor(Date.now() / 1000)),
    });
    if (status >= 200 && status < 300) return { ok: true, status };
    return { ok: false, error: `The receiver answered HTTP ${status}` };
  } catch (err) {
    return { ok: false, error: describeSendError(err) };
  }
}

// No redirects are followed (node:http never does): one could point the signed payload somewhere
// the admin never configured, or somewhere the destination check never saw.
function post(url: URL, body: string, lookup: LookupFunction | undefined, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": Buffer.byteLength(body) },
        lookup,
        // A fresh connection each time: a pooled one would skip the check for this send.
        agent: false,
        signal: AbortSignal.timeout(ALERT_WEBHOOK_TIMEOUT_MS),
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      },
    );
    request.once("error", reject);
    request.end(body);
  });
}

/**
 * POSTs an opened alert to the account's webhook (if one is set) and records the outcome on the
 * alert. Never throws: it runs after the response, where nobody could handle the error.
 */
export async function sendAlertWebhook(accountId: string, alertId: string): Promise<void> {
  try {
    const db = await getDb();
    const [row] = await db
      .select({ alert: alerts, url: accounts.alertWebhookUrl, secretEnc: accounts.alertWebhookSecretEnc })
      .from(alerts)
      .innerJoin(accounts, eq(accounts.id, alerts.accountId))
      .where(and(eq(alerts.id, alertId), eq(alerts.accountId, accountId)));
    if (!row?.url || !row.secretEnc) return;
    const { alert } = row;
    const result = await postAlertWebhook(row.url, decryptSecret(row.secretEnc), {
      type: "holdfast.alert",
      id: alert.id,
      kind: alert.kind,
      subject: alert.subject,
      message: alert.message,
      fix_url: absoluteFixUrl(alert.fixUrl),
      account_id: accountId,
      created_at: alert.createdAt.toISOString(),
    });
    await db
      .update(alerts)
      .set(result.ok ? { webhookDeliveredAt: new Date(), webhookError: null } : { webhookError: result.error })
      .where(and(eq(alerts.id, alertId), eq(alerts.accountId, accountId)));
  } catch (err) {
    console.error(`[alerts] webhook for alert ${alertId} could not be sent`, err);
  }
}

/** A payload shaped like a real alert, so the receiver can be tested end to end. */
export function testAlertPayload(accountId: string): AlertPayload {
  return {
    type: "holdfast.alert",
    id: randomUUID(),
    kind: "test",
    subject: "test",
    message: "This is a test alert from Holdfast. Your webhook receiver is set up correctly.",
    fix_url: absoluteFixUrl("/settings/alerts"),
    account_id: accountId,
    created_at: new Date().toISOString(),
  };
}

function absoluteFixUrl(fixUrl: string | null): string | null {
  return fixUrl ? new URL(fixUrl, env().APP_URL).toString() : null;
}

// Fixed wording only: socket and TLS error text would tell an admin what answers where inside
// the network Holdfast runs in.
function describeSendError(err: unknown): string {
  if (err instanceof RefusedDestinationError) return `Not sent: ${err.message}`;
  const name = err instanceof Error ? err.name : null;
  if (name === "TimeoutError" || name === "AbortError") {
    return `The receiver did not answer within ${ALERT_WEBHOOK_TIMEOUT_MS / 1000} s`;
  }
  return "Could not reach the receiver (connection failed)";
}
