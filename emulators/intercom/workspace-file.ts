// Loads a workspace from JSON shaped like API responses, for demos with hand-picked data.
// Missing contact fields are filled with the blank 2.16 shape, so a file can stay short.

import { readFileSync } from "node:fs";
import { z } from "zod";
import { buildContact } from "./contact-factory";
import type { WorkspaceData } from "./store";
import type { ContactObject, DataAttributeObject, Region, StoredContact } from "./types";

const customValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const attributeSchema = z.looseObject({
  id: z.number().int().optional(),
  name: z.string().min(1),
  model: z.enum(["contact", "company"]).default("contact"),
  data_type: z.enum(["string", "integer", "float", "boolean", "date", "datetime"]),
  label: z.string().optional(),
  description: z.string().optional(),
  options: z.array(z.string()).optional(),
  archived: z.boolean().default(false),
  custom: z.boolean().optional(),
  api_writable: z.boolean().optional(),
  messenger_writable: z.boolean().optional(),
  created_at: z.number().int().optional(),
  admin_id: z.string().optional(),
});

const contactSchema = z.looseObject({
  id: z.string().regex(/^[0-9a-f]{24}$/, "contact ids are 24 hex characters"),
  role: z.enum(["user", "lead"]).default("user"),
  email: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  external_id: z.string().nullable().optional(),
  created_at: z.number().int().optional(),
  updated_at: z.number().int().optional(),
  custom_attributes: z.record(z.string(), customValueSchema).optional(),
  // Emulator-only: lets a file describe merged or deleted contacts.
  _emulator: z.object({ state: z.enum(["active", "merged", "deleted", "archived"]), merged_into: z.string().optional() }).optional(),
});

const fileSchema = z.object({
  workspace: z
    .object({
      id: z.string().optional(),
      name: z.string().optional(),
      region: z.enum(["US", "EU", "AU"]).optional(),
      timezone: z.string().optional(),
    })
    .optional(),
  data_attributes: z.array(attributeSchema).default([]),
  contacts: z.array(contactSchema).default([]),
});

export interface LoadedWorkspaceFile {
  workspace: { id?: string; name?: string; region?: Region; timezone?: string };
  build(input: { workspaceId: string; adminId: string; nowSeconds: number }): WorkspaceData;
}

export function loadWorkspaceFile(path: string): LoadedWorkspaceFile {
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`Invalid workspace file ${path}: ${z.prettifyError(parsed.error)}`);
  const file = parsed.data;
  return {
    workspace: file.workspace ?? {},
    build: ({ workspaceId, adminId, nowSeconds }) => {
      let nextId = 1;
      const customAttributes: DataAttributeObject[] = file.data_attributes
        // Standard attributes come from the built-in catalogue; only custom ones are data.
        .filter((a) => a.custom === true || (a.custom === undefined && a.id !== undefined))
        .map((a) => {
          const id = a.id ?? 10_000 + nextId++;
          const createdAt = a.created_at ?? nowSeconds;
          return {
            type: "data_attribute",
            id,
            model: a.model,
            name: a.name,
            full_name: `custom_attributes.${a.name}`,
            label: a.label ?? a.name,
            description: a.description ?? "",
            data_type: a.data_type === "datetime" ? "date" : a.data_type,
            ...(a.options ? { options: a.options } : {}),
            api_writable: a.api_writable ?? true,
            ui_writable: true,
            messenger_writable: a.messenger_writable ?? false,
            custom: true,
            archived: a.archived,
            created_at: createdAt,
            updated_at: createdAt,
            admin_id: a.admin_id ?? adminId,
          };
        });
      const contacts: StoredContact[] = file.contacts.map((c) => {
        const createdAt = c.created_at ?? nowSeconds;
        const base = buildContact({
          id: c.id,
          workspaceId,
          role: c.role,
          createdAt,
          email: c.email ?? null,
          name: c.name ?? null,
          externalId: c.external_id ?? null,
        });
        const { _emulator, ...rest } = c;
        const contact = { ...base, ...rest, workspace_id: workspaceId, type: "contact" } as ContactObject;
        contact.updated_at = c.updated_at ?? createdAt;
        contact.custom_attributes = { ...(c.custom_attributes ?? {}) };
        const state = _emulator?.state ?? "active";
        return {
          contact,
          state,
          mergedInto: state === "merged" ? (_emulator?.merged_into ?? null) : null,
          mergedAt: state === "merged" ? contact.updated_at : null,
          insertedAtMs: 0,
        };
      });
      return { customAttributes, contacts };
    },
  };
}
