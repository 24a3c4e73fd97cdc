import { z } from "zod";

const storedOptionsSchema = z.array(z.string()).nullable();

/**
 * question_mappings.intercom_options: Holdfast's copy of a list attribute's options (null when
 * the attribute is not a list), read back through a schema. A copy that lost its shape is
 * unreadable, not "no options": treating it as either would let edits through unchecked.
 */
export function readStoredOptions(raw: unknown): { ok: true; options: string[] | null } | { ok: false } {
  const parsed = storedOptionsSchema.safeParse(raw);
  return parsed.success ? { ok: true, options: parsed.data } : { ok: false };
}
