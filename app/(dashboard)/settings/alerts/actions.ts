"use server";

import { revalidatePath } from "next/cache";
import { saveAlertSettings, sendTestAlert, type SaveAlertSettingsResult } from "@/lib/alerts/alert-settings";
import type { WebhookResult } from "@/lib/alerts/alert-webhook";
import { requireAdmin } from "@/lib/auth/session";

export async function saveAlertSettingsAction(input: unknown): Promise<SaveAlertSettingsResult> {
  const { accountId } = await requireAdmin();
  const result = await saveAlertSettings(accountId, input);
  if (result.ok) revalidatePath("/settings/alerts");
  return result;
}

export async function sendTestAlertAction(): Promise<WebhookResult> {
  const { accountId } = await requireAdmin();
  return sendTestAlert(accountId);
}
