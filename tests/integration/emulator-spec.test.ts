// Contract test: every emulator endpoint the app uses answers with bodies that match the pinned
// Intercom 2.16 OpenAPI spec (read from ../shared, never copied into the repo).

import { beforeAll, describe, expect, it } from "vitest";
import { callEmulator, useIntercomEmulator, type ApiResult } from "../support/intercom-emulator";
import { INTERCOM_SPEC_PATH, loadSpecValidator, specAvailable, type SpecValidator } from "../support/openapi-validator";

const haveSpec = specAvailable();
if (!haveSpec) console.warn(`emulator-spec: skipped, the Intercom spec is not at ${INTERCOM_SPEC_PATH}`);

describe.skipIf(!haveSpec)("Intercom emulator matches the 2.16 OpenAPI spec", () => {
  const emulator = useIntercomEmulator({ seed: 7, contactCount: 400 });
  let spec: SpecValidator;
  let token: string;

  beforeAll(() => {
    spec = loadSpecValidator();
    token = emulator().issueToken();
  });

  async function check(
    method: string,
    pathTemplate: string,
    path: string,
    expectedStatus: number,
    body?: unknown,
    auth: string | null = token,
  ): Promise<ApiResult> {
    const res = await callEmulator(emulator(), path, { method, token: auth, body });
    expect(res.status, res.text).toBe(expectedStatus);
    spec.assertResponse(method, pathTemplate, res.status, res.body);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    if (expectedStatus >= 400) {
      expect((res.body as { request_id: string }).request_id).toBe(res.headers.get("x-request-id"));
    }
    return res;
  }

  it("GET /me", async () => {
    await check("GET", "/me", "/me", 200);
  });

  it("GET /data_attributes (contact, archived, both models, conversation 422, 401)", async () => {
    await check("GET", "/data_attributes", "/data_attributes?model=contact", 200);
    await check("GET", "/data_attributes", "/data_attributes?model=contact&include_archived=true", 200);
    await check("GET", "/data_attributes", "/data_attributes", 200);
    await check("GET", "/data_attributes", "/data_attributes?model=conversation", 422);
    await check("GET", "/data_attributes", "/data_attributes?model=contact", 401, undefined, null);
  });

  it("POST /data_attributes and PUT /data_attributes/{id}", async () => {
    const created = await check("POST", "/data_attributes", "/data_attributes", 200, {
      name: "Spec Check",
      model: "contact",
      data_type: "string",
    });
    const list = await check("POST", "/data_attributes", "/data_attributes", 200, {
      name: "spec_list",
      model: "contact",
      data_type: "options",
      options: [{ value: "a" }, { value: "b" }],
    });
    await check("POST", "/data_attributes", "/data_attributes", 200, { name: "spec_when", model: "contact", data_type: "datetime" });
    await check("POST", "/data_attributes", "/data_attributes", 400, { name: "Spec Check", model: "contact", data_type: "string" });
    await check("POST", "/data_attributes", "/data_attributes", 400, { name: "bad.name", model: "contact", data_type: "string" });
    await check("POST", "/data_attributes", "/data_attributes", 401, { name: "x", model: "contact", data_type: "string" }, null);

    const id = (created.body as { id: number }).id;
    const listId = (list.body as { id: number }).id;
    await check("PUT", "/data_attributes/{data_attribute_id}", `/data_attributes/${id}`, 200, { archived: true });
    await check("PUT", "/data_attributes/{data_attribute_id}", `/data_attributes/${listId}`, 200, {
      options: [{ value: "a" }, { value: "b" }, { value: "c" }],
    });
    await check("PUT", "/data_attributes/{data_attribute_id}", `/data_attributes/${listId}`, 400, { options: "a,b" });
    await check("PUT", "/data_attributes/{data_attribute_id}", "/data_attributes/999999", 404, { archived: true });
  });

  it("GET /contacts: pages, cursor, 400, 401", async () => {
    const first = await check("GET", "/contacts", "/contacts?per_page=150", 200);
    const next = (first.body as { pages: { next?: { starting_after: string } } }).pages.next;
    expect(next).toBeDefined();
    await check("GET", "/contacts", `/contacts?per_page=150&starting_after=${encodeURIComponent(next?.starting_after ?? "")}`, 200);
    await check("GET", "/contacts", "/contacts", 200);
    await check("GET", "/contacts", "/contacts?per_page=151", 400);
    await check("GET", "/contacts", "/contacts?starting_after=None", 400);
    await check("GET", "/contacts", "/contacts", 401, undefined, null);
  });

  it("POST /contacts/search: results, empty, 400s, 401", async () => {
    const res = await check("POST", "/contacts/search", "/contacts/search", 200, {
      query: { operator: "AND", value: [{ field: "role", operator: "IN", value: ["user", "lead"] }, { field: "created_at", operator: ">", value: 0 }] },
      pagination: { per_page: 150 },
      sort: { field: "updated_at", order: "ascending" },
    });
    expect((res.body as { pages: { next?: unknown } }).pages.next).toBeDefined();
    await check("POST", "/contacts/search", "/contacts/search?include_merge_history=true", 200, {
      query: { field: "email", operator: "=", value: "shared.lead.user@example.com" },
    });
    await check("POST", "/contacts/search", "/contacts/search", 200, { query: { field: "email", operator: "=", value: "nobody@nowhere.test" } });
    await check("POST", "/contacts/search", "/contacts/search", 400, {
      query: { field: "email", operator: "=", value: "a@b.c" },
      sort: { field: "updated_at", order: "desc" },
    });
    await check("POST", "/contacts/search", "/contacts/search", 400, { query: { field: "updated_at", operator: ">=", value: 1 } });
    await check("POST", "/contacts/search", "/contacts/search", 400, {});
    await check("POST", "/contacts/search", "/contacts/search", 401, { query: { field: "role", operator: "=", value: "user" } }, null);
  });

  it("GET and PUT /contacts/{id}: 200, 400, 404, 410, 401", async () => {
    const emu = emulator();
    const contact = emu.store.listContacts().find((c) => c.role === "user");
    expect(contact).toBeDefined();
    const id = contact?.id ?? "";
    await check("GET", "/contacts/{contact_id}", `/contacts/${id}`, 200);
    await check("GET", "/contacts/{contact_id}", `/contacts/${id}?include_merge_history=true`, 200);
    await check("GET", "/contacts/{contact_id}", "/contacts/000000000000000000000000", 404);
    await check("GET", "/contacts/{contact_id}", `/contacts/${id}`, 401, undefined, null);

    await check("PUT", "/contacts/{contact_id}", `/contacts/${id}`, 200, {
      name: "Spec Person",
      custom_attributes: { cancel_reason: "price", cancel_rating: 3, is_vip: true, lifetime_value: 12.5 },
    });
    await check("PUT", "/contacts/{contact_id}", `/contacts/${id}`, 400, { custom_attributes: { no_such_attribute: 1 } });
    await check("PUT", "/contacts/{contact_id}", "/contacts/000000000000000000000000", 404, { name: "x" });
    await check("PUT", "/contacts/{contact_id}", `/contacts/${id}`, 401, { name: "x" }, null);

    const [from, into] = emu.store.listContacts().filter((c) => c.id !== id);
    emu.store.mergeContact(from?.id ?? "", into?.id ?? "");
    const gone = await check("GET", "/contacts/{contact_id}", `/contacts/${from?.id}`, 410);
    expect(gone.headers.get("link")).toBe(`</contacts/${into?.id}>; rel="canonical"`);
  });

  it("429 answers with the error envelope", async () => {
    const emu = emulator();
    emu.configure({ rateLimitPerWindow: 1 });
    try {
      // A 10-second window may roll over between calls, so allow a few before expecting the 429.
      let limited: ApiResult | undefined;
      for (let i = 0; i < 4 && !limited; i++) {
        const res = await callEmulator(emu, "/contacts", { token });
        if (res.status === 429) limited = res;
      }
      expect(limited?.status).toBe(429);
      spec.assertResponse("GET", "/contacts", 429, limited?.body);
      expect(limited?.headers.get("x-ratelimit-remaining")).toBe("0");
    } finally {
      emu.configure({ rateLimitPerWindow: 1666 });
    }
  });
});
