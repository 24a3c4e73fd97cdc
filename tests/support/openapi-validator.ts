// Validates emulator responses against the pinned Intercom OpenAPI 3.0 spec. The spec is only
// read here (never copied into the repo); OpenAPI 3.0 schemas are turned into JSON Schema first.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const INTERCOM_SPEC_PATH = path.resolve(repoRoot, "..", "shared", "intercom", "api.intercom.io.yaml");

const SPEC_ID = "intercom-spec";
const DROPPED_KEYS = new Set(["example", "examples", "discriminator", "xml", "externalDocs", "deprecated"]);
const MAP_KEYS = new Set(["properties", "patternProperties", "schemas"]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** OpenAPI 3.0 schema -> JSON Schema (draft-07): nullable, $ref siblings, vendor keys. */
export function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const nullable = node.nullable === true;
  if (typeof node.$ref === "string") {
    // In OpenAPI 3.0 siblings of $ref are ignored, except that authors mean `nullable` literally.
    const ref = { $ref: node.$ref.startsWith("#") ? `${SPEC_ID}${node.$ref}` : node.$ref };
    return nullable ? { anyOf: [ref, { type: "null" }] } : ref;
  }
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "nullable" || DROPPED_KEYS.has(key) || key.startsWith("x-")) continue;
    if (MAP_KEYS.has(key) && value && typeof value === "object" && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (!nullable) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

interface SpecDoc {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Json }> }> }>>;
  components: { schemas: Record<string, Json> };
}

export interface SpecValidator {
  /** Throws with ajv's errors when `body` does not match the operation's schema for `status`. */
  assertResponse(method: string, pathTemplate: string, status: number, body: unknown): void;
}

/**
 * Deliberate deviations, each backed by API-NOTES:
 * - contact.email / email_domain: typed string, but leads without an email return null (§3.1).
 */
function applyKnownDeviations(schemas: Record<string, Json>): void {
  const contact = schemas.contact as { properties: Record<string, Json> };
  contact.properties.email = { type: ["string", "null"] };
  contact.properties.email_domain = { type: ["string", "null"] };
}

export function loadSpecValidator(): SpecValidator {
  const doc = parse(readFileSync(INTERCOM_SPEC_PATH, "utf8")) as SpecDoc;
  const schemas = Object.fromEntries(
    Object.entries(doc.components.schemas).map(([name, schema]) => [name, toJsonSchema(schema)]),
  );
  applyKnownDeviations(schemas);

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // The spec's own examples use relative URLs ("/contacts/1/tags") where it declares format: uri.
  ajv.addFormat("uri", { type: "string", validate: (s: string) => /^(?:[a-z][a-z0-9+.-]*:|\/)?\S*$/i.test(s) });
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } });

  const cache = new Map<string, ValidateFunction>();
  const validatorFor = (method: string, pathTemplate: string, status: number): ValidateFunction => {
    const key = `${method} ${pathTemplate} ${status}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const operation = doc.paths[pathTemplate]?.[method.toLowerCase()];
    if (!operation) throw new Error(`The spec has no operation ${method} ${pathTemplate}`);
    const declared = operation.responses?.[String(status)]?.content?.["application/json"]?.schema;
    // The spec documents only some error statuses per operation; every error uses the envelope.
    const schema = declared ?? (status >= 400 ? ({ $ref: "#/components/schemas/error" } as Json) : undefined);
    if (!schema) throw new Error(`The spec has no ${status} response for ${method} ${pathTemplate}`);
    const compiled = ajv.compile(toJsonSchema(schema) as object);
    cache.set(key, compiled);
    return compiled;
  };

  return {
    assertResponse(method, pathTemplate, status, body) {
      const validate = validatorFor(method, pathTemplate, status);
      if (!validate(body)) {
        const details = (validate.errors ?? [])
          .slice(0, 10)
          .map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""} ${JSON.stringify(e.params)}`)
          .join("\n  ");
        throw new Error(`${method} ${pathTemplate} ${status} does not match the spec:\n  ${details}`);
      }
    },
  };
}

export const specAvailable = (): boolean => existsSync(INTERCOM_SPEC_PATH);
