"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { dismissAlert, type DismissAlertResult } from "@/lib/alerts/list-alerts";
import { requireAdmin } from "@/lib/auth/session";

const alertIdSchema = z.uuid();

export async function dismissAlertAction(alertId: unknown): Promise<DismissAlertResult> {
  const { accountId } = await requireAdmin();
  const parsed = alertIdSchema.safeParse(alertId);
  if (!parsed.success) return { ok: false, error: "This alert is already closed." };
  const result = await dismissAlert(accountId, parsed.data);
  // The notice sits in the dashboard layout: every page shows it.
  revalidatePath("/", "layout");
  return result;
}
