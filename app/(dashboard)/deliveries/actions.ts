"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { retryAllFailedDeliveries } from "@/lib/deliveries/retry-deliveries";
import { retryDelivery, type DeliveryOutcome } from "@/lib/forwarding/deliver";

export type RetryDeliveryResult = { ok: true; outcome: DeliveryOutcome } | { ok: false; error: string };
export type RetryAllResult = { ok: true; requeued: number } | { ok: false; error: string };

const deliveryIdSchema = z.uuid();

export async function retryDeliveryAction(deliveryId: unknown): Promise<RetryDeliveryResult> {
  const { accountId } = await requireAdmin();
  const parsed = deliveryIdSchema.safeParse(deliveryId);
  if (!parsed.success) return { ok: false, error: "Delivery not found." };
  const result = await retryDelivery(accountId, parsed.data);
  revalidatePath("/deliveries");
  return result;
}

export async function retryAllDeliveriesAction(): Promise<RetryAllResult> {
  const { accountId } = await requireAdmin();
  const result = await retryAllFailedDeliveries(accountId);
  revalidatePath("/deliveries");
  return result;
}
