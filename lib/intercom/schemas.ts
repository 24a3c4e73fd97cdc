import { z } from "zod";

// Only the fields Holdfast reads are required; everything else passes through untouched.

export const errorBodySchema = z.object({
  type: z.literal("error.list").optional(),
  request_id: z.string().nullish(),
  errors: z.array(z.object({ code: z.string(), message: z.string().nullish(), field: z.string().nullish() })).min(1),
});

export const tokenResponseSchema = z.object({
  token_type: z.string().optional(),
  token: z.string().min(1).optional(),
  access_token: z.string().min(1).optional(),
});

export const meSchema = z.object({
  type: z.literal("admin"),
  id: z.union([z.string(), z.number()]).transform(String),
  email: z.string().nullish(),
  name: z.string().nullish(),
  app: z.object({
    id_code: z.string().min(1),
    name: z.string(),
    region: z.string().nullish(),
    timezone: z.string().nullish(),
  }),
});
export type IntercomMe = z.infer<typeof meSchema>;

export const intercomDataTypes = ["string", "integer", "float", "boolean", "date"] as const;
export type IntercomDataType = (typeof intercomDataTypes)[number];

export const dataAttributeSchema = z.object({
  type: z.literal("data_attribute"),
  id: z.number().int().optional(),
  model: z.string().optional(),
  name: z.string(),
  full_name: z.string(),
  label: z.string().nullish(),
  description: z.string().nullish(),
  // "datetime" only appears outside 2.16; it is a date for our purposes.
  data_type: z.string().transform((t) => (t === "datetime" ? "date" : t)),
  options: z.array(z.string()).nullish(),
  api_writable: z.boolean().optional().default(false),
  custom: z.boolean().optional().default(false),
  archived: z.boolean().optional().default(false),
});
export type IntercomDataAttribute = z.infer<typeof dataAttributeSchema>;

export const dataAttributeListSchema = z.object({
  type: z.literal("list"),
  data: z.array(dataAttributeSchema),
});

const contactFields = z.object({
  type: z.literal("contact"),
  id: z.string().min(1),
  workspace_id: z.string().nullish(),
  external_id: z.string().nullish(),
  role: z.string(),
  email: z.string().nullish(),
  name: z.string().nullish(),
  created_at: z.number().int().nullish(),
  updated_at: z.number().int(),
  custom_attributes: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {}),
});

/**
 * The fields Holdfast relies on, checked, and every other field kept as Intercom sent it (mapped
 * standard attributes are read from them). The checked fields are written back onto the input
 * object, so parse JSON you own (a response body, a stored payload), instead of copying its ~50
 * fields into a new one as a passthrough object would: on a 150-contact page that copy cost more
 * than JSON.parse itself.
 */
export const contactSchema = z.unknown().transform((raw, ctx) => {
  const checked = contactFields.safeParse(raw);
  if (!checked.success) {
    for (const issue of checked.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  }
  const target = Object.isExtensible(raw) ? (raw as Record<string, unknown>) : { ...(raw as Record<string, unknown>) };
  return Object.assign(target, checked.data);
});
export type IntercomContact = z.infer<typeof contactSchema>;

const pagesSchema = z.object({
  page: z.number().optional(),
  per_page: z.number().optional(),
  total_pages: z.number().optional(),
  next: z
    .object({ page: z.number().optional(), starting_after: z.string().nullish() })
    .nullish(),
});

export const contactListSchema = z.object({
  type: z.literal("list"),
  data: z.array(contactSchema),
  total_count: z.number().optional(),
  pages: pagesSchema.nullish(),
});
export type IntercomContactList = z.infer<typeof contactListSchema>;

// Only the fields and operators 2.16 accepts for them (API-NOTES §3.3): a query Intercom would
// reject with a 400, or answer with a bare 500 (traps C05), does not type-check.
type SearchDateField = "updated_at" | "created_at";
type SearchStringField = "id" | "email" | "role" | "external_id";
export type SearchFilter =
  | { field: SearchDateField; operator: "=" | "<" | ">"; value: number }
  | { field: SearchStringField; operator: "=" | "!="; value: string | null }
  | { field: SearchStringField; operator: "IN" | "NIN"; value: string[] }
  | { operator: "AND" | "OR"; value: SearchFilter[] };

export interface SearchRequest {
  query: SearchFilter;
  pagination?: { per_page: number; starting_after?: string };
  sort?: { field: string; order: "ascending" | "descending" };
}
