"use server";

import { EmailTakenError, signUp, signUpSchema } from "@/lib/accounts/sign-up";

export type SignUpResult = { ok: true } | { ok: false; error: string; fieldErrors?: Record<string, string> };

export async function signUpAction(input: unknown): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    return { ok: false, error: "Please fix the highlighted fields.", fieldErrors };
  }
  try {
    await signUp(parsed.data);
    return { ok: true };
  } catch (err) {
    if (err instanceof EmailTakenError) return { ok: false, error: err.message };
    throw err;
  }
}
