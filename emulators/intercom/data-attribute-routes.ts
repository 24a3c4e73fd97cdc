// GET/POST /data_attributes and PUT /data_attributes/{id} (API-NOTES §2).

import { ApiError, invalid } from "./api-error";
import type { EmulatorContext } from "./emulator-context";
import { isPlainObject } from "./http-io";
import { bodyObject, json, type Incoming, type Reply } from "./reply";
import { standardAttributes } from "./standard-attributes";
import type { DataAttributeObject, DataModel, DataType } from "./types";

export const CUSTOM_ATTRIBUTE_CAP = 250;

const CREATE_TYPES = ["string", "integer", "float", "boolean", "datetime", "date", "options"] as const;
// Letters, digits, spaces, underscores, hyphens and currency symbols; never "." or "$"-style punctuation.
const NAME_PATTERN = /^[\p{L}\p{N}\p{Sc} _-]+$/u;
const DOLLAR = "$";

const modelWord = (model: DataModel) => (model === "contact" ? "people" : "company");

export function listDataAttributes(ctx: EmulatorContext, req: Incoming): Reply {
  const model = req.query.get("model");
  if (model === "conversation") {
    throw new ApiError(422, "parameter_invalid", "model=conversation is no longer supported. Use GET /conversations/attributes instead");
  }
  if (model !== null && model !== "contact" && model !== "company") {
    throw invalid("The Data Attribute model field must be either contact or company");
  }
  const includeArchived = req.query.get("include_archived") === "true";
  const models: DataModel[] = model ? [model] : ["contact", "company"];
  const data = models.flatMap((m) => [
    ...standardAttributes(m),
    ...ctx.store.listCustomAttributes().filter((a) => a.model === m && (includeArchived || !a.archived)),
  ]);
  return json({ type: "list", data });
}

export function createDataAttribute(ctx: EmulatorContext, req: Incoming): Reply {
  const body = bodyObject(req.body);
  if (!isPlainObject(body)) throw invalid("Request body must be a JSON object");
  const { name, model, data_type: dataType, description, options, messenger_writable: messengerWritable } = body;
  if (model !== "contact" && model !== "company") {
    throw invalid("The Data Attribute model field must be either contact or company");
  }
  if (!isCreateType(dataType)) throw invalid("Data Type isn't an option");
  if (typeof name !== "string" || name.trim() === "") throw invalid("Name can't be blank");
  if (!NAME_PATTERN.test(name) || name.includes(DOLLAR)) {
    throw invalid("Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens");
  }
  const clash = findNameClash(ctx, name);
  if (clash) {
    throw invalid(
      `You already have '${name}' in your ${modelWord(clash)} data. To save this as new ${modelWord(model)} data, use a different name.`,
    );
  }
  if (description !== undefined && typeof description !== "string") throw invalid("Description must be a string");
  if (messengerWritable !== undefined && typeof messengerWritable !== "boolean") {
    throw invalid("messenger_writable must be a boolean");
  }
  const optionValues = dataType === "options" ? parseOptions(options) : undefined;
  assertUnderCap(ctx, model);

  const now = ctx.store.nowSeconds();
  const stored = ctx.store.addCustomAttribute({
    type: "data_attribute",
    model,
    name,
    full_name: `custom_attributes.${name}`,
    label: name,
    description: typeof description === "string" ? description : "",
    data_type: readBackType(dataType),
    ...(optionValues ? { options: optionValues } : {}),
    api_writable: true,
    ui_writable: false,
    messenger_writable: messengerWritable === true,
    custom: true,
    archived: false,
    created_at: now,
    updated_at: now,
    admin_id: ctx.admin.id,
  });
  return json(stored);
}

export function updateDataAttribute(ctx: EmulatorContext, req: Incoming, rawId: string): Reply {
  const attribute = /^\d+$/.test(rawId) ? ctx.store.customAttributeById(Number(rawId)) : undefined;
  if (!attribute) throw new ApiError(404, "field_not_found", "We couldn't find that data attribute to update");
  const body = bodyObject(req.body);
  if (!isPlainObject(body)) throw invalid("Request body must be a JSON object");
  const { archived, description, messenger_writable: messengerWritable, options, data_type: dataType } = body;
  if (dataType !== undefined && dataType !== attribute.data_type) throw invalid("The data type of an attribute can't be changed");
  if (archived !== undefined && typeof archived !== "boolean") throw invalid("archived must be a boolean");
  if (description !== undefined && typeof description !== "string") throw invalid("Description must be a string");
  if (messengerWritable !== undefined && typeof messengerWritable !== "boolean") {
    throw invalid("messenger_writable must be a boolean");
  }
  let optionValues: string[] | undefined;
  if (options !== undefined) {
    if (!attribute.options || attribute.data_type !== "string") throw invalid("Options can only be changed on list attributes");
    optionValues = parseOptions(options);
  }
  if (archived === false && attribute.archived) assertUnderCap(ctx, attribute.model);

  if (typeof archived === "boolean") attribute.archived = archived;
  if (typeof description === "string") attribute.description = description;
  if (typeof messengerWritable === "boolean") attribute.messenger_writable = messengerWritable;
  if (optionValues) attribute.options = optionValues;
  attribute.updated_at = ctx.store.nowSeconds();
  return json(attribute);
}

function isCreateType(value: unknown): value is (typeof CREATE_TYPES)[number] {
  return typeof value === "string" && (CREATE_TYPES as readonly string[]).includes(value);
}

function readBackType(dataType: (typeof CREATE_TYPES)[number]): DataType {
  if (dataType === "options") return "string";
  if (dataType === "datetime") return "date";
  return dataType;
}

function parseOptions(options: unknown): string[] {
  if (!Array.isArray(options)) throw invalid("Options isn't an array");
  const values = options.map((o) => (isPlainObject(o) && typeof o.value === "string" ? o.value.trim() : ""));
  if (values.some((v) => v === "")) throw invalid("Each option needs a non-empty string value");
  if (new Set(values).size < 2) throw invalid("A list attribute needs at least 2 different options");
  return values;
}

function findNameClash(ctx: EmulatorContext, name: string): DataModel | undefined {
  const key = name.trim().toLowerCase();
  const same = (a: DataAttributeObject) => a.name.toLowerCase() === key || a.full_name.toLowerCase() === key;
  const custom = ctx.store.listCustomAttributes().find(same);
  if (custom) return custom.model;
  for (const model of ["contact", "company"] as const) {
    if (standardAttributes(model).some(same)) return model;
  }
  return undefined;
}

function assertUnderCap(ctx: EmulatorContext, model: DataModel): void {
  const active = ctx.store.listCustomAttributes().filter((a) => a.model === model && !a.archived).length;
  if (active >= CUSTOM_ATTRIBUTE_CAP) {
    throw invalid(
      `You have reached the limit of ${CUSTOM_ATTRIBUTE_CAP} custom data attributes. Archive unused attributes to free up space.`,
    );
  }
}
