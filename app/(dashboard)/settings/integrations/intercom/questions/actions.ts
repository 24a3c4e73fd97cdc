"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/session";
import { createQuestionAttribute, type CreateQuestionAttributeResult } from "@/lib/mappings/create-question-attribute";
import { checkMappingHealth } from "@/lib/mappings/mapping-health";
import { saveQuestionMappings, type SaveQuestionMappingsResult } from "@/lib/mappings/question-mappings";

// Server actions for the question mappings editor; lib/mappings validates against live Intercom.

function revalidateMappingPages() {
  revalidatePath("/settings/integrations/intercom", "layout");
  revalidatePath("/flows");
}

export async function saveQuestionMappingsAction(rows: unknown): Promise<SaveQuestionMappingsResult> {
  const { accountId } = await requireAdmin();
  const result = await saveQuestionMappings(accountId, rows);
  if (result.ok) revalidateMappingPages();
  return result;
}

export async function createQuestionAttributeAction(questionId: unknown): Promise<CreateQuestionAttributeResult> {
  const { accountId } = await requireAdmin();
  const result = await createQuestionAttribute(accountId, questionId);
  if (result.ok) revalidateMappingPages();
  return result;
}

export async function checkQuestionMappingsAction(): Promise<{ ok: true; message: string } | { ok: false; error: string }> {
  const { accountId } = await requireAdmin();
  const result = await checkMappingHealth(accountId);
  revalidateMappingPages();
  if (!result.ok) return { ok: false, error: result.error };
  const stillBroken = result.broken.filter((b) => b.direction === "question").length;
  return {
    ok: true,
    message: stillBroken
      ? `Checked with Intercom: ${stillBroken} question mapping${stillBroken === 1 ? " is" : "s are"} still broken.`
      : "Checked with Intercom: every question mapping works.",
  };
}
