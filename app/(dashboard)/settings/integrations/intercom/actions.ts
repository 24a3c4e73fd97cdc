"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/session";
import { disconnectIntercom, type DisconnectResult } from "@/lib/connections/disconnect";

export async function disconnectIntercomAction(): Promise<DisconnectResult> {
  const { accountId } = await requireAdmin();
  const result = await disconnectIntercom(accountId);
  revalidatePath("/settings/integrations", "layout");
  return result;
}
