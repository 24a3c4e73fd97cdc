"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/session";
import { createCustomProperty, renameCustomProperty, type PropertyResult } from "@/lib/properties/custom-properties";

export async function createPropertyAction(input: unknown): Promise<PropertyResult> {
  const { accountId } = await requireAdmin();
  const result = await createCustomProperty(accountId, input);
  if (result.ok) revalidatePath("/settings/properties");
  return result;
}

export async function renamePropertyAction(input: unknown): Promise<PropertyResult> {
  const { accountId } = await requireAdmin();
  const result = await renameCustomProperty(accountId, input);
  if (result.ok) revalidatePath("/settings/properties");
  return result;
}
