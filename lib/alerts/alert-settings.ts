import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { accounts } from "@/db/schema";
import { decryptSecret, encryptSecret } from "@/lib/crypto/encryption";
import { env } from "@/lib/env";
import { postAlertWebhook, testAlertPayload, type WebhookResult } from "./alert-webhook";
import { webhookDestinationProblem } from "./webhook-destination";

export interface AlertSettings {
  webhookUrl: string | null;
  /** Shown to the admin so their receiver can verify signatures; null until a URL is first saved. */
  signingSecret: string | null;
  failureRatePct: number;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export const alertWebhookUrlSchema = z
  .string()
  .trim()
  .max(2000, "The URL is too long.")
  .superRefine((value, ctx) => {
    const problem = webhookUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const alertSettingsSchema = z.object({
  webhookUrl: z.union([z.literal("").transform(() => null), alertWebhookUrlSchema]),
  failureRatePct: z.coerce
    .number({ error: "Enter a percentage." })
    .int("Enter a whole percentage.")
    .min(1, "The threshold must be between 1 and 100%.")
    .max(100, "The threshold must be between 1 and 100%."),
});

export type SaveAlertSettingsResult = { ok: true; settings: AlertSettings } | { ok: false; error: string };

export async function getAlertSettings(accountId: string): Promise<AlertSettings> {
  const db = await getDb();
  const account = await db.query.accounts.findFirst({
    where: eq(accounts.id, accountId),
    columns: { alertWebhookUrl: true, alertWebhookSecretEnc: true, alertFailureRate: true },
  });
  if (!account) throw new Error(`account ${accountId} not found`);
  return {
    webhookUrl: account.alertWebhookUrl,
    signingSecret: account.alertWebhookSecretEnc ? decryptSecret(account.alertWebhookSecretEnc) : null,
    failureRatePct: account.alertFailureRate,
  };
}

/**
 * Sets or clears the webhook URL and the failure-rate threshold. The signing secret is made on
 * the first save of a URL and kept when the URL is cleared or changed, so receivers keep working.
 */
export async function saveAlertSettings(accountId: string, input: unknown): Promise<SaveAlertSettingsResult> {
  const parsed = alertSettingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Check the form and try again." };
  const destinationProblem = parsed.data.webhookUrl ? await webhookDestinationProblem(new URL(parsed.data.webhookUrl)) : null;
  if (destinationProblem) return { ok: false, error: destinationProblem };
  const db = await getDb();
  const current = await db.query.accounts.findFirst({
    where: eq(accounts.id, accountId),
    columns: { alertWebhookSecretEnc: true },
  });
  if (!current) return { ok: false, error: "Account not found." };
  const secretEnc = current.alertWebhookSecretEnc ?? (parsed.data.webhookUrl ? encryptSecret(newSigningSecret()) : null);
  await db
    .update(accounts)
    .set({ alertWebhookUrl: parsed.data.webhookUrl, alertWebhookSecretEnc: secretEnc, alertFailureRate: parsed.data.failureRatePct })
    .where(eq(accounts.id, accountId));
  return { ok: true, settings: await getAlertSettings(accountId) };
}

/** Sends a signed sample alert to the saved URL now, and says what the receiver answered. */
export async function sendTestAlert(accountId: string): Promise<WebhookResult> {
  const settings = await getAlertSettings(accountId);
  if (!settings.webhookUrl || !settings.signingSecret) return { ok: false, error: "Save a webhook URL first." };
  return postAlertWebhook(settings.webhookUrl, settings.signingSecret, testAlertPayload(accountId));
}

function webhookUrlProblem(value: string): string | null {
  if (!URL.canParse(value)) return "Enter a full URL, starting with https://.";
  const url = new URL(value);
  if (url.username || url.password) return "Put credentials in your receiver, not in the URL.";
  if (url.protocol === "https:") return null;
  // Plain HTTP only to this machine, and only outside production: alerts carry account details.
  if (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname) && env().NODE_ENV !== "production") return null;
  return "The URL must start with https:// (http://localhost and http://127.0.0.1 work in development).";
}

function newSigningSecret(): string {
  return `hfwhsec_${randomBytes(24).toString("base64url")}`;
}
