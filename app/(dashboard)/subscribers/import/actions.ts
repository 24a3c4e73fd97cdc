// POST /subscribers/import (server action): upserts the uploaded CSV file into the signed-in account.
"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/session";
import { importSubscribers, type ImportResult } from "@/lib/subscribers/import-subscribers";

const EMPTY = "Paste your CSV (or choose a file) first.";

export type ImportActionResult = ({ ok: true } & ImportResult) | { ok: false; error: string };

/** `input`: FormData with the CSV as the file `csv`, so its bytes arrive as the browser counted them. */
export async function importSubscribersAction(input: unknown): Promise<ImportActionResult> {
  const { accountId } = await requireAdmin();
  const file = input instanceof FormData ? input.get("csv") : null;
  if (!(file instanceof Blob)) return { ok: false, error: EMPTY };
  const csv = await file.text();
  if (csv.trim() === "") return { ok: false, error: EMPTY };
  const result = await importSubscribers(accountId, csv);
  revalidatePath("/subscribers");
  return { ok: true, ...result };
}
