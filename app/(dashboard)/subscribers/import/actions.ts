// POST /subscribers/import (server action): upserts the pasted CSV into the signed-in account.
"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { importSubscribers, type ImportResult } from "@/lib/subscribers/import-subscribers";

// 10,000 rows of ordinary subscriber data stay well under this.
const MAX_CSV_CHARS = 4_000_000;

const importInputSchema = z.object({
  csv: z
    .string()
    .max(MAX_CSV_CHARS, "This CSV is too large; split it into files of at most 10,000 rows.")
    .refine((v) => v.trim() !== "", "Paste your CSV (or choose a file) first."),
});

export type ImportActionResult = ({ ok: true } & ImportResult) | { ok: false; error: string };

export async function importSubscribersAction(input: unknown): Promise<ImportActionResult> {
  const { accountId } = await requireAdmin();
  const parsed = importInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Invalid input." };
  const result = await importSubscribers(accountId, parsed.data.csv);
  revalidatePath("/subscribers");
  return { ok: true, ...result };
}
