"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/session";
import { deleteQuestion, reorderQuestions, saveQuestion, type EditorResult } from "@/lib/flows/flow-editor";
import type { ReasonCodeHold } from "@/lib/flows/reason-code-guard";
import { revealWidgetSecret } from "@/lib/widget/install";

// Server actions for /flows: the admin's account scopes every call; lib/flows validates input.

// A save that would change values already delivered to Intercom comes back as a ReasonCodeHold
// until the admin confirms it (confirmReasonCodeChanges: true).
export async function saveQuestionAction(input: unknown): Promise<EditorResult<{ questionId: string }> | ReasonCodeHold> {
  const { accountId } = await requireAdmin();
  const result = await saveQuestion(accountId, input);
  if (result.ok) revalidatePath("/flows");
  return result;
}

export async function deleteQuestionAction(questionId: unknown): Promise<EditorResult> {
  const { accountId } = await requireAdmin();
  const result = await deleteQuestion(accountId, questionId);
  if (result.ok) revalidatePath("/flows");
  return result;
}

export async function reorderQuestionsAction(questionIds: unknown): Promise<EditorResult> {
  const { accountId } = await requireAdmin();
  const result = await reorderQuestions(accountId, questionIds);
  if (result.ok) revalidatePath("/flows");
  return result;
}

export async function revealWidgetSecretAction(): Promise<EditorResult<{ secret: string }>> {
  const { accountId } = await requireAdmin();
  const secret = await revealWidgetSecret(accountId);
  return secret ? { ok: true, secret } : { ok: false, error: "Account not found." };
}
