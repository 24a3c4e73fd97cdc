"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/session";
import { saveQuestionMappings, type SaveQuestionMappingsResult } from "@/lib/mappings/question-mappings";

// Server action for the question mappings editor; lib/mappings validates against live Intercom.
export async function saveQuestionMappingsAction(rows: { questionId: string; intercomAttribute: string }[]): Promise<SaveQuestionMappingsResult> {
  const { accountId } = await requireAdmin();
  const result = await saveQuestionMappings(accountId, rows);
  if (result.ok) {
    revalidatePath("/settings/integrations/intercom/questions");
    revalidatePath("/flows");
  }
  return result;
}
