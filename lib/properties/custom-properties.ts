import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db, type Tx } from "@/db/client";
import { customProperties } from "@/db/schema";
import { PROPERTY_KEY_MAX, PROPERTY_KEY_PATTERN, slugifyPropertyKey } from "./property-key";
import { propertyTypes, type PropertyType } from "./types";

export type CustomProperty = typeof customProperties.$inferSelect;

export const propertyNameSchema = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(80, "Use at most 80 characters");

export const propertyKeySchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Key is required")
  .max(PROPERTY_KEY_MAX, `Use at most ${PROPERTY_KEY_MAX} characters`)
  .regex(PROPERTY_KEY_PATTERN, "Use lowercase letters, digits and underscores, starting with a letter");

export const createPropertySchema = z.object({
  name: propertyNameSchema,
  // Optional: derived from the name when left blank.
  key: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), propertyKeySchema.optional()),
  type: z.enum(propertyTypes, { error: "Choose a type: text, number, true/false or date" }),
});
export type CreatePropertyInput = z.input<typeof createPropertySchema>;

export const renamePropertySchema = z.object({ propertyId: z.string().uuid(), name: propertyNameSchema });

export type PropertyResult =
  | { ok: true; property: CustomProperty }
  | { ok: false; error: string; fieldErrors?: Partial<Record<"name" | "key" | "type", string>> };

export async function listCustomProperties(accountId: string): Promise<CustomProperty[]> {
  const db = await getDb();
  return db
    .select()
    .from(customProperties)
    .where(eq(customProperties.accountId, accountId))
    .orderBy(asc(customProperties.name), asc(customProperties.key));
}

export async function createCustomProperty(accountId: string, input: unknown): Promise<PropertyResult> {
  const parsed = createPropertySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const db = await getDb();
  return insertCustomProperty(db, accountId, parsed.data);
}

/**
 * Inserts a property inside the caller's transaction (mapping saves create properties inline).
 * A taken key is a user error, not an exception, so the caller's transaction stays usable.
 */
export async function insertCustomProperty(
  tx: Tx | Db,
  accountId: string,
  input: { name: string; key?: string; type: PropertyType },
): Promise<PropertyResult> {
  const key = input.key ?? slugifyPropertyKey(input.name);
  const [row] = await tx
    .insert(customProperties)
    .values({ accountId, name: input.name, key, type: input.type })
    .onConflictDoNothing({ target: [customProperties.accountId, customProperties.key] })
    .returning();
  if (!row) {
    const message = `A property with the key "${key}" already exists. Pick it instead, or use another ${input.key ? "key" : "name"}.`;
    return { ok: false, error: message, fieldErrors: { [input.key ? "key" : "name"]: message } };
  }
  return { ok: true, property: row };
}

/** Only the display name changes: the key is what mappings, exports and APIs refer to. */
export async function renameCustomProperty(accountId: string, input: unknown): Promise<PropertyResult> {
  const parsed = renamePropertySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const db = await getDb();
  const [row] = await db
    .update(customProperties)
    .set({ name: parsed.data.name })
    .where(and(eq(customProperties.id, parsed.data.propertyId), eq(customProperties.accountId, accountId)))
    .returning();
  return row ? { ok: true, property: row } : { ok: false, error: "This property no longer exists." };
}

function invalid(error: z.ZodError): PropertyResult {
  const fieldErrors: Partial<Record<"name" | "key" | "type", string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if ((field === "name" || field === "key" || field === "type") && !fieldErrors[field]) fieldErrors[field] = issue.message;
  }
  return { ok: false, error: "Please fix the highlighted fields.", fieldErrors };
}
