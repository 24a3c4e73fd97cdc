import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { customProperties, propertyMappings } from "@/db/schema";
import {
  clientForConnection,
  getConnection,
  markReconnectRequired,
  type IntercomConnection,
} from "@/lib/connections/intercom-connection";
import { IntercomError } from "@/lib/intercom/errors";
import { insertCustomProperty, propertyKeySchema, propertyNameSchema } from "@/lib/properties/custom-properties";
import { slugifyPropertyKey } from "@/lib/properties/property-key";
import { incompatibilityMessage, propertyTypeFor, type PropertyType } from "@/lib/properties/types";

export interface ContactAttribute {
  fullName: string;
  label: string;
  dataType: string;
  custom: boolean;
  /** Property types this attribute may fill: one, or none when Holdfast cannot store the type. */
  compatibleTypes: PropertyType[];
}

export type AttributesFailure = {
  ok: false;
  reason: "not_connected" | "reconnect_required" | "intercom_error";
  error: string;
};
export type AttributesResult = { ok: true; attributes: ContactAttribute[] } | AttributesFailure;

export interface PropertyMapping {
  id: string;
  intercomAttribute: string;
  intercomLabel: string;
  intercomDataType: string;
  status: "ok" | "broken";
  statusReason: string | null;
  property: { id: string; key: string; name: string; type: PropertyType };
}

export const propertyMappingRowSchema = z
  .object({
    intercomAttribute: z.string({ error: "Choose an Intercom attribute" }).trim().min(1, "Choose an Intercom attribute"),
    propertyId: z.string().uuid("Choose a property").optional(),
    newProperty: z
      .object({
        name: propertyNameSchema,
        key: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), propertyKeySchema.optional()),
      })
      .optional(),
  })
  .refine((r) => Boolean(r.propertyId) !== Boolean(r.newProperty), { message: "Choose a property or create a new one" });
export type PropertyMappingRow = z.input<typeof propertyMappingRowSchema>;

export const MAX_PROPERTY_MAPPINGS = 100;

export type SaveMappingsResult =
  | { ok: true; mappings: PropertyMapping[] }
  | { ok: false; error: string; rowErrors: Record<number, string> };

/** The workspace's contact attributes, live from Intercom (archived ones hidden), standard first. */
export async function listIntercomContactAttributes(accountId: string): Promise<AttributesResult> {
  const conn = await getConnection(accountId);
  const unavailable = connectionProblem(conn);
  if (unavailable || !conn) return unavailable ?? notConnected();
  try {
    const attributes = await clientForConnection(conn, { retries: 2 }).listDataAttributes(false);
    return {
      ok: true,
      attributes: attributes
        .filter((a) => !a.archived && (a.model ?? "contact") === "contact")
        .map((a) => {
          const type = propertyTypeFor(a.data_type);
          return {
            fullName: a.full_name,
            label: a.label || a.name,
            dataType: a.data_type,
            custom: a.custom,
            compatibleTypes: type ? [type] : [],
          };
        })
        .sort((a, b) => Number(a.custom) - Number(b.custom) || a.label.localeCompare(b.label)),
    };
  } catch (err) {
    return intercomFailure(conn, err);
  }
}

export async function getPropertyMappings(accountId: string): Promise<PropertyMapping[]> {
  const db = await getDb();
  const rows = await db
    .select({ mapping: propertyMappings, property: customProperties })
    .from(propertyMappings)
    .innerJoin(customProperties, eq(customProperties.id, propertyMappings.propertyId))
    .where(and(eq(propertyMappings.accountId, accountId), eq(customProperties.accountId, accountId)))
    .orderBy(asc(propertyMappings.createdAt), asc(propertyMappings.intercomAttribute));
  return rows.map(({ mapping, property }) => ({
    id: mapping.id,
    intercomAttribute: mapping.intercomAttribute,
    intercomLabel: mapping.intercomLabel,
    intercomDataType: mapping.intercomDataType,
    status: mapping.status,
    statusReason: mapping.statusReason,
    property: { id: property.id, key: property.key, name: property.name, type: property.type },
  }));
}

/**
 * Replaces the account's whole mapping set, after checking every row against the live Intercom
 * attribute list. New properties named inline are created in the same transaction, so a rejected
 * save leaves nothing behind. New pairs are backfilled by the next sync run (lib/sync).
 */
export async function savePropertyMappings(accountId: string, input: unknown): Promise<SaveMappingsResult> {
  const parsed = z.array(z.unknown()).max(MAX_PROPERTY_MAPPINGS, `At most ${MAX_PROPERTY_MAPPINGS} mappings`).safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Invalid mappings", rowErrors: {} };
  const rowErrors: Record<number, string> = {};
  const rows = parsed.data.map((raw, index) => {
    const row = propertyMappingRowSchema.safeParse(raw);
    if (!row.success) rowErrors[index] = row.error.issues[0]?.message ?? "Invalid row";
    return row.success ? row.data : null;
  });

  const live = await listIntercomContactAttributes(accountId);
  if (!live.ok) return { ok: false, error: live.error, rowErrors };
  const attributes = new Map(live.attributes.map((a) => [a.fullName, a]));

  const db = await getDb();
  const existing = await db.select().from(customProperties).where(eq(customProperties.accountId, accountId));
  const propertiesById = new Map(existing.map((p) => [p.id, p]));
  const takenKeys = new Set(existing.map((p) => p.key));
  /** Keys this save creates, with the row that creates each (rows are numbered from 1 on screen). */
  const newKeys = new Map<string, number>();

  const seenAttributes = new Set<string>();
  const seenProperties = new Set<string>();
  const plan: Array<{ index: number; attribute: ContactAttribute; propertyId?: string; create?: { name: string; key: string; type: PropertyType } }> = [];

  rows.forEach((row, index) => {
    if (!row) return;
    const attribute = attributes.get(row.intercomAttribute);
    if (!attribute) {
      rowErrors[index] = `"${row.intercomAttribute}" is not a contact attribute in your Intercom workspace (it may have been archived or deleted).`;
      return;
    }
    if (seenAttributes.has(attribute.fullName)) {
      rowErrors[index] = `"${attribute.label}" is already mapped in another row; each Intercom attribute can be mapped once.`;
      return;
    }
    seenAttributes.add(attribute.fullName);
    const wanted = attribute.compatibleTypes[0];
    if (row.propertyId) {
      const property = propertiesById.get(row.propertyId);
      if (!property) {
        rowErrors[index] = "This property no longer exists. Choose another one.";
      } else if (seenProperties.has(property.id)) {
        rowErrors[index] = `"${property.name}" is already filled by another row; each property can be mapped once.`;
      } else if (property.type !== wanted) {
        rowErrors[index] = incompatibilityMessage(attribute.label, attribute.dataType, property.name, property.type);
      } else {
        seenProperties.add(property.id);
        plan.push({ index, attribute, propertyId: property.id });
      }
      return;
    }
    const create = row.newProperty!;
    if (!wanted) {
      rowErrors[index] = incompatibilityMessage(attribute.label, attribute.dataType, create.name, "text");
      return;
    }
    const key = create.key ?? slugifyPropertyKey(create.name);
    const creator = newKeys.get(key);
    if (creator !== undefined) {
      rowErrors[index] = `Row ${creator + 1} already creates a property with the key "${key}". Give this new property another name.`;
      return;
    }
    if (takenKeys.has(key)) {
      rowErrors[index] = `A property with the key "${key}" already exists. Pick it from the list, or use another name.`;
      return;
    }
    newKeys.set(key, index);
    plan.push({ index, attribute, create: { name: create.name, key, type: wanted } });
  });

  if (Object.keys(rowErrors).length > 0) {
    return { ok: false, error: "Some mappings need attention; nothing was saved.", rowErrors };
  }

  const previous = await db.select().from(propertyMappings).where(eq(propertyMappings.accountId, accountId));
  const backfilled = new Map(previous.map((m) => [`${m.intercomAttribute}|${m.propertyId}`, m.backfilledAt]));
  try {
    await db.transaction(async (tx) => {
      const values = [];
      // Rows come back in the order the admin arranged them: one statement shares now(), so
      // each row gets its own millisecond.
      const base = Date.now();
      for (const [position, step] of plan.entries()) {
        let propertyId = step.propertyId;
        if (step.create) {
          const created = await insertCustomProperty(tx, accountId, step.create);
          if (!created.ok) throw new RowConflict(step.index, created.error);
          propertyId = created.property.id;
        }
        values.push({
          accountId,
          intercomAttribute: step.attribute.fullName,
          intercomLabel: step.attribute.label,
          intercomDataType: step.attribute.dataType,
          propertyId: propertyId!,
          createdAt: new Date(base + position),
          // An unchanged pair keeps its values; a new one is backfilled by the next sync run.
          backfilledAt: backfilled.get(`${step.attribute.fullName}|${propertyId}`) ?? null,
        });
      }
      await tx.delete(propertyMappings).where(eq(propertyMappings.accountId, accountId));
      if (values.length > 0) await tx.insert(propertyMappings).values(values);
    });
  } catch (err) {
    // A concurrent save took the key between our check and the insert; the throw rolled back.
    if (err instanceof RowConflict) {
      return { ok: false, error: "Some mappings need attention; nothing was saved.", rowErrors: { [err.index]: err.message } };
    }
    throw err;
  }
  return { ok: true, mappings: await getPropertyMappings(accountId) };
}

class RowConflict extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

function connectionProblem(conn: IntercomConnection | null): AttributesFailure | null {
  if (!conn || conn.status === "disconnected" || !conn.accessTokenEnc) return notConnected();
  if (conn.status === "reconnect_required") {
    return {
      ok: false,
      reason: "reconnect_required",
      error: "Intercom no longer accepts Holdfast's access. Reconnect Intercom to load its attributes.",
    };
  }
  return null;
}

function notConnected(): AttributesFailure {
  return { ok: false, reason: "not_connected", error: "Connect Intercom first to map its attributes." };
}

async function intercomFailure(conn: IntercomConnection, err: unknown): Promise<AttributesFailure> {
  if (err instanceof IntercomError && err.kind === "unauthorized") {
    await markReconnectRequired(conn, `Intercom rejected the access token (${err.message})`);
    return {
      ok: false,
      reason: "reconnect_required",
      error: "Intercom no longer accepts Holdfast's access. Reconnect Intercom to load its attributes.",
    };
  }
  console.error("[property-mappings] listing Intercom attributes failed", err);
  const detail = err instanceof IntercomError ? err.message : "unexpected error";
  return { ok: false, reason: "intercom_error", error: `Could not load attributes from Intercom (${detail}). Try again in a moment.` };
}
