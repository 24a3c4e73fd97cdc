// GET /contacts, POST /contacts/search, GET and PUT /contacts/{id} (API-NOTES §3).

import { ApiError, invalid, userNotFound } from "./api-error";
import { listBody, paginateKeyed, type ContactListBody, type Keyed, type PageRequest } from "./contact-pages";
import { validateCustomAttributes } from "./custom-values";
import type { EmulatorContext } from "./emulator-context";
import { isPlainObject } from "./http-io";
import { decodeCursor, type Cursor } from "./pagination-cursor";
import { bodyObject, json, type Incoming, type Reply } from "./reply";
import { fieldTypeOf, fieldValueOf } from "./search-fields";
import { candidateNumbers, rangeOnField, type Range } from "./search-plan";
import { compileQuery } from "./search-query";
import type { ContactPatch } from "./store";
import type { ContactObject } from "./types";

const MAX_PER_PAGE = 150;
const LIST_DEFAULT_PER_PAGE = 10;
const SEARCH_DEFAULT_PER_PAGE = 50;
// Neither default is documented; newest first mirrors what integrators report.
const LIST_SORT_KEY = "created_at:descending";
const SEARCH_DEFAULT_SORT_FIELD = "created_at";
const BAD_CURSOR = "Invalid starting_after param. Please try again using a starting_after value from a paginated response";

function withMergeHistory(ctx: EmulatorContext, req: Incoming, c: ContactObject): object {
  if (req.query.get("include_merge_history") !== "true" || c.role !== "user") return c;
  return { ...c, merge_history: ctx.store.mergeHistoryOf(c.id) };
}

function parsePerPage(raw: unknown, fallback: number): number {
  if (raw === undefined || raw === null || raw === "") return fallback;
  const n = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_PER_PAGE) {
    throw invalid(`per_page must be an integer between 1 and ${MAX_PER_PAGE}`);
  }
  return n;
}

function parseCursor(raw: unknown, sortKey: string): Cursor | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const cursor = typeof raw === "string" ? decodeCursor(raw) : undefined;
  if (!cursor) throw invalid(BAD_CURSOR);
  if (cursor.sortKey !== sortKey) {
    // Intercom answered a next page without the original sort with a bare 500 (traps C04).
    throw new ApiError(500, "server_error", "Server Error");
  }
  return cursor;
}

export function listContacts(ctx: EmulatorContext, req: Incoming): Reply {
  const perPage = parsePerPage(req.query.get("per_page") ?? undefined, LIST_DEFAULT_PER_PAGE);
  const cursor = parseCursor(req.query.get("starting_after") ?? undefined, LIST_SORT_KEY);
  const body = indexedPage(ctx, { perPage, cursor, sortKey: LIST_SORT_KEY, order: "descending" }, "created_at", {
    lo: -Infinity,
    hi: Infinity,
  });
  return json({ ...body, data: body.data.map((c) => withMergeHistory(ctx, req, c)) });
}

export function searchContacts(ctx: EmulatorContext, req: Incoming): Reply {
  const body = bodyObject(req.body);
  if (!isPlainObject(body)) throw invalid("Request body must be a JSON object");
  if (body.query === undefined || body.query === null) throw invalid("query is required");

  const sort = body.sort ?? {};
  if (!isPlainObject(sort)) throw invalid("sort must be an object with field and order");
  const order = sort.order ?? "descending";
  if (order !== "ascending" && order !== "descending") {
    throw new ApiError(400, "invalid_sort_order", `Invalid sort order '${String(order)}'. Must be one of: ascending, descending`);
  }
  const sortField = sort.field ?? SEARCH_DEFAULT_SORT_FIELD;
  const sortType = typeof sortField === "string" ? fieldTypeOf(sortField, ctx.store) : undefined;
  if (typeof sortField !== "string" || !sortType || sortType === "tag") {
    throw invalid(`Invalid sort field '${String(sortField)}'`);
  }

  const predicate = compileQuery(body.query, {
    store: ctx.store,
    timeZone: ctx.workspace.timezone,
    caseInsensitiveEmail: ctx.settings.caseInsensitiveEmail,
  });

  const pagination = body.pagination ?? {};
  if (!isPlainObject(pagination)) throw invalid("pagination must be an object");
  const perPage = parsePerPage(pagination.per_page, SEARCH_DEFAULT_PER_PAGE);
  const sortKey = `${sortField}:${order}`;
  const pageRequest: PageRequest = { perPage, cursor: parseCursor(pagination.starting_after, sortKey), sortKey, order };
  const insertedBeforeMs = ctx.nowMs() - ctx.settings.searchIndexLagSeconds * 1000;

  let page: ContactListBody;
  const indexField = sortField === "created_at" || sortField === "updated_at" ? sortField : undefined;
  const range = indexField ? rangeOnField(body.query, indexField, ctx.workspace.timezone) : undefined;
  if (indexField && range) {
    page = indexedPage(ctx, pageRequest, indexField, range, insertedBeforeMs);
  } else {
    const candidates = candidateNumbers(body.query, ctx.store);
    // Keep only keys and contact numbers: a scan of a 1M workspace must not hold every match.
    const keyed: Array<Keyed & { n: number }> = [];
    for (const n of candidates ?? range1(ctx.store.counts().stored)) {
      const s = ctx.store.contactAt(n);
      if (s.state !== "active" || s.insertedAtMs > insertedBeforeMs || !predicate(s.contact)) continue;
      const v = fieldValueOf(s.contact, sortField);
      keyed.push({ value: Array.isArray(v) ? null : v, id: s.contact.id, n });
    }
    const { slice, total, last } = paginateKeyed(keyed, pageRequest);
    const data = slice.map((k) => ctx.store.contactAt(k.n).contact);
    page = listBody(data, pageRequest, total, last);
  }
  return json({ ...page, data: page.data.map((c) => withMergeHistory(ctx, req, c)) });
}

function* range1(count: number): Generator<number> {
  for (let n = 1; n <= count; n++) yield n;
}

/** A page straight from a sorted index: binary search to the cursor, O(page) work. */
function indexedPage(
  ctx: EmulatorContext,
  req: PageRequest,
  field: "created_at" | "updated_at",
  range: Range,
  insertedBeforeMs?: number,
): ContactListBody {
  const cursor = req.cursor;
  const after = cursor && typeof cursor.sortValue === "number" ? { value: cursor.sortValue, id: cursor.id } : undefined;
  const { records, more } = ctx.store.pageIndexed({
    field,
    ascending: req.order === "ascending",
    lo: range.lo,
    hi: range.hi,
    after,
    perPage: req.perPage,
    insertedBeforeMs,
  });
  const total = ctx.store.countIndexed(field, range.lo, range.hi, insertedBeforeMs);
  const lastRow = records[records.length - 1]?.contact;
  const last = more && lastRow ? { value: lastRow[field], id: lastRow.id } : undefined;
  return listBody(records.map((s) => s.contact), req, total, last);
}

export function getContact(ctx: EmulatorContext, req: Incoming, id: string): Reply {
  const stored = ctx.store.peekContact(id);
  if (!stored || stored.state === "deleted" || stored.state === "archived") throw userNotFound();
  if (stored.state === "merged") {
    const canonical = ctx.store.resolveMergeTarget(id);
    if (!canonical) throw userNotFound();
    throw new ApiError(410, "contact_merged", "This contact has been merged. See the 'Link' header for the canonical contact.", {
      Link: `</contacts/${canonical}>; rel="canonical"`,
    });
  }
  return json(withMergeHistory(ctx, req, stored.contact));
}

export function updateContact(ctx: EmulatorContext, req: Incoming, id: string): Reply {
  const stored = ctx.store.peekContact(id);
  // Merged sources answer 404 on writes (traps C11); only GET knows about the 410.
  if (!stored || stored.state !== "active") throw userNotFound();
  const body = bodyObject(req.body);
  if (!isPlainObject(body)) throw invalid("Request body must be a JSON object");
  const patch = parseContactPatch(body);
  patch.custom_attributes = validateCustomAttributes(body.custom_attributes, ctx.store, {
    maxStringLength: ctx.settings.maxStringLength,
  });
  const updated = ctx.store.updateContact(id, patch);
  return json(withMergeHistory(ctx, req, updated));
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseContactPatch(body: Record<string, unknown>): ContactPatch {
  const patch: ContactPatch = {};
  const nullableString = (key: string): string | null | undefined => {
    const v = body[key];
    if (v === undefined) return undefined;
    if (v !== null && typeof v !== "string") throw invalid(`${key} must be a string`);
    return v;
  };
  const nullableTimestamp = (key: string): number | null | undefined => {
    const v = body[key];
    if (v === undefined) return undefined;
    if (v !== null && !Number.isSafeInteger(v)) throw invalid(`${key} must be a Unix timestamp in seconds`);
    return v as number | null;
  };

  if (body.role !== undefined) {
    if (body.role !== "user" && body.role !== "lead") throw invalid("role must be either user or lead");
    patch.role = body.role;
  }
  const email = nullableString("email");
  if (email !== undefined) {
    if (email !== null && !EMAIL_PATTERN.test(email.trim())) throw invalid(`'${email}' is not a valid email`);
    patch.email = email === null ? null : email.trim();
  }
  if (body.email_verified !== undefined && body.email_verified !== null && email === undefined) {
    throw invalid("email_verified can only be sent together with email");
  }
  const simple = ["name", "phone", "external_id", "avatar"] as const;
  for (const key of simple) {
    const v = nullableString(key);
    if (v !== undefined) patch[key] = v;
  }
  const signedUpAt = nullableTimestamp("signed_up_at");
  if (signedUpAt !== undefined) patch.signed_up_at = signedUpAt;
  const lastSeenAt = nullableTimestamp("last_seen_at");
  if (lastSeenAt !== undefined) patch.last_seen_at = lastSeenAt;
  if (body.owner_id !== undefined) {
    // SDKs typed for 2.14 send an integer; 2.16 stores and returns a string.
    const v = body.owner_id;
    if (v !== null && typeof v !== "string" && !Number.isSafeInteger(v)) throw invalid("owner_id must be a string");
    patch.owner_id = v === null ? null : String(v);
  }
  if (body.unsubscribed_from_emails !== undefined && body.unsubscribed_from_emails !== null) {
    if (typeof body.unsubscribed_from_emails !== "boolean") throw invalid("unsubscribed_from_emails must be a boolean");
    patch.unsubscribed_from_emails = body.unsubscribed_from_emails;
  }
  return patch;
}
