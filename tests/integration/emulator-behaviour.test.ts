// Behaviour of the Intercom emulator over real HTTP: the quirks the app must survive (OAuth codes,
// cursors, day-truncated search, merged contacts, typed writes, rate limits, faults).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SEEDED_MERGE,
  SHARED_LEAD_USER_EMAIL,
  seededContactEmail,
  seededContactRole,
  startIntercomEmulator,
  type ContactObject,
  type RunningEmulator,
} from "@/emulators/intercom/server";
import { callEmulator, useIntercomEmulator } from "../support/intercom-emulator";

interface ContactList {
  data: ContactObject[];
  total_count: number;
  pages: { page: number; per_page: number; total_pages: number; next?: { page: number; starting_after: string } };
}
interface ErrorList {
  type: string;
  request_id: string;
  errors: Array<{ code: string; message: string }>;
}

const CALLBACK = "http://127.0.0.1:3999/api/intercom/callback";

/** A hand-driven clock: tests move time instead of sleeping. */
function manualClock(startIso: string) {
  let now = Date.parse(startIso);
  return { now: () => now, advance: (ms: number) => (now += ms), set: (iso: string) => (now = Date.parse(iso)) };
}

function searchAll(emu: RunningEmulator, token: string, body: Record<string, unknown>) {
  return callEmulator<ContactList>(emu, "/contacts/search", { token, body });
}

async function oauthConsent(emu: RunningEmulator, state: string): Promise<string> {
  const res = await fetch(`${emu.url}/oauth?client_id=${emu.clientId}&state=${state}&redirect_uri=${encodeURIComponent(CALLBACK)}`);
  const page = await res.text();
  const consent = /name="consent" value="([^"]+)"/.exec(page)?.[1];
  if (!consent) throw new Error("consent page has no consent field");
  return consent;
}

async function authorizeForCode(emu: RunningEmulator, state = "st-1"): Promise<string> {
  const consent = await oauthConsent(emu, state);
  const res = await fetch(`${emu.url}/oauth/authorize`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: emu.clientId, state, redirect_uri: CALLBACK, consent }).toString(),
    redirect: "manual",
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location") ?? "");
  expect(location.origin + location.pathname).toBe(CALLBACK);
  expect(location.searchParams.get("state")).toBe(state);
  return location.searchParams.get("code") ?? "";
}

function exchange(emu: RunningEmulator, code: string, encoding: "form" | "json", secret = emu.clientSecret) {
  const fields = { code, client_id: emu.clientId, client_secret: secret };
  return callEmulator<{ token_type: string; token: string; access_token: string } & ErrorList>(emu, "/auth/eagle/token", {
    method: "POST",
    ...(encoding === "json"
      ? { body: fields }
      : { rawBody: new URLSearchParams(fields).toString(), headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
  });
}

describe("seeded workspace", () => {
  const clock = manualClock("2024-05-02T12:00:00Z");
  let a: RunningEmulator;
  let b: RunningEmulator;
  let other: RunningEmulator;
  beforeAll(async () => {
    [a, b, other] = await Promise.all([
      startIntercomEmulator({ seed: 3, contactCount: 400, now: clock.now }),
      startIntercomEmulator({ seed: 3, contactCount: 400, now: clock.now }),
      startIntercomEmulator({ seed: 4, contactCount: 400, now: clock.now }),
    ]);
  });
  afterAll(async () => Promise.all([a, b, other].map((e) => e.close())));

  it("is deterministic for a seed and differs across seeds", () => {
    expect(JSON.stringify(a.store.listContacts())).toBe(JSON.stringify(b.store.listContacts()));
    expect(JSON.stringify(a.store.listContacts())).not.toBe(JSON.stringify(other.store.listContacts()));
    // Emails and roles follow the published rule whatever the seed.
    expect(other.store.listContacts().map((c) => c.email)).toEqual(a.store.listContacts().map((c) => c.email));
  });

  it("follows the email and role rules, with the duplicate, mixed-case and email-less cases", () => {
    const all = a.store.allRecords();
    expect(all).toHaveLength(400);
    all.forEach((s, i) => {
      expect(s.contact.email).toBe(seededContactEmail(i + 1));
      expect(s.contact.role).toBe(seededContactRole(i + 1));
      expect(s.contact.id).toMatch(/^[0-9a-f]{24}$/);
    });
    expect(all.filter((s) => s.contact.role === "lead")).toHaveLength(80);
    const shared = all.filter((s) => s.contact.email === SHARED_LEAD_USER_EMAIL).map((s) => s.contact.role);
    expect(shared.sort()).toEqual(["lead", "user"]);
    expect(all[6]?.contact.email).toBe("User7@Example.COM");
    const noEmail = all.filter((s) => s.contact.email === null);
    expect(noEmail.length).toBe(16);
    expect(noEmail.every((s) => s.contact.role === "lead")).toBe(true);
    const merged = all[SEEDED_MERGE.from - 1];
    expect(merged?.state).toBe("merged");
    expect(merged?.mergedInto).toBe(all[SEEDED_MERGE.into - 1]?.contact.id);
  });

  it("spreads timestamps over the past year, before the anchor day", () => {
    const anchor = Date.parse("2024-05-02T00:00:00Z") / 1000;
    for (const c of a.store.listContacts()) {
      expect(c.created_at).toBeGreaterThanOrEqual(anchor - 366 * 86400);
      expect(c.updated_at).toBeGreaterThanOrEqual(c.created_at);
      expect(c.updated_at).toBeLessThan(anchor);
    }
  });

  it("defines custom attributes of every type, an archived one and empty survey targets", async () => {
    const token = a.issueToken();
    const res = await callEmulator<{ data: Array<Record<string, unknown>> }>(a, "/data_attributes?model=contact", { token });
    const custom = res.body.data.filter((d) => d.custom === true);
    const byName = Object.fromEntries(custom.map((d) => [d.name, d]));
    expect(Object.keys(byName).sort()).toEqual(
      ["account_tier", "cancel_comment", "cancel_rating", "cancel_reason", "cancel_reason_code", "is_vip", "lifetime_value", "plan_name", "renewal_date", "seats"].sort(),
    );
    expect(byName.plan_name).toMatchObject({ data_type: "string", full_name: "custom_attributes.plan_name", api_writable: true, archived: false });
    expect(byName.seats?.data_type).toBe("integer");
    expect(byName.lifetime_value?.data_type).toBe("float");
    expect(byName.is_vip?.data_type).toBe("boolean");
    expect(byName.renewal_date?.data_type).toBe("date");
    expect(byName.account_tier).toMatchObject({ data_type: "string", options: ["free", "pro", "enterprise"] });
    expect(byName.cancel_reason_code).toMatchObject({ data_type: "string", options: ["too_expensive", "missing_feature", "switching", "other"] });
    for (const d of custom) {
      expect(typeof d.id).toBe("number");
      expect(typeof d.admin_id).toBe("string");
      expect(typeof d.created_at).toBe("number");
    }
    const standard = res.body.data.filter((d) => d.custom === false);
    expect(standard.map((d) => d.full_name)).toEqual(expect.arrayContaining(["email", "name", "external_id", "updated_at", "location.city"]));
    expect(standard.every((d) => d.id === undefined && d.created_at === undefined)).toBe(true);
    expect(a.store.listContacts().some((c) => Object.keys(c.custom_attributes).some((k) => k.startsWith("cancel_")))).toBe(false);

    const archived = await callEmulator<{ data: Array<Record<string, unknown>> }>(a, "/data_attributes?model=contact&include_archived=true", { token });
    expect(archived.body.data.find((d) => d.name === "legacy_score")).toMatchObject({ archived: true, data_type: "integer" });
  });
});

describe("OAuth", () => {
  const emulator = useIntercomEmulator({ contactCount: 20 });

  it("renders a consent page with the workspace, and refuses unknown apps", async () => {
    const emu = emulator();
    const ok = await fetch(`${emu.url}/oauth?client_id=${emu.clientId}&state=abc&redirect_uri=${encodeURIComponent(CALLBACK)}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/html");
    const page = await ok.text();
    expect(page).toContain("Acme Demo");
    expect(page).toContain("Authorize access");
    expect(page).toContain("Cancel");
    const bad = await fetch(`${emu.url}/oauth?client_id=nope&state=abc&redirect_uri=${encodeURIComponent(CALLBACK)}`);
    expect(bad.status).toBe(400);
  });

  it("cannot be authorized with a GET or a forged form", async () => {
    const emu = emulator();
    const get = await fetch(`${emu.url}/oauth/authorize?client_id=${emu.clientId}&state=x&redirect_uri=${encodeURIComponent(CALLBACK)}`, { redirect: "manual" });
    expect(get.status).not.toBe(302);
    const forged = await fetch(`${emu.url}/oauth/authorize`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: emu.clientId, state: "x", redirect_uri: CALLBACK, consent: "made-up" }).toString(),
      redirect: "manual",
    });
    expect(forged.status).toBe(400);
  });

  it("exchanges a code once (form body), then answers 401 Unauthorized Code", async () => {
    const emu = emulator();
    const code = await authorizeForCode(emu);
    const first = await exchange(emu, code, "form");
    expect(first.status).toBe(200);
    expect(first.body.token_type).toBe("Bearer");
    expect(first.body.access_token).toBe(first.body.token);
    const me = await callEmulator(emu, "/me", { token: first.body.token });
    expect(me.status).toBe(200);

    const replay = await exchange(emu, code, "form");
    expect(replay.status).toBe(401);
    expect(replay.body.errors[0]).toEqual({ code: "unauthorized", message: "Unauthorized Code" });
    expect(replay.body.request_id).toBe(replay.headers.get("x-request-id"));
  });

  it("accepts a JSON body, rejects a wrong secret and unknown codes", async () => {
    const emu = emulator();
    const code = await authorizeForCode(emu, "json-state");
    const wrongSecret = await exchange(emu, code, "json", "not-the-secret");
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.errors[0]?.message).toBe("Unauthorized Code");
    const made = await exchange(emu, "bm90LWEtY29kZQ==", "json");
    expect(made.status).toBe(401);
    // A failed attempt with a wrong secret must not burn a code the real app still holds.
    const ok = await exchange(emu, code, "json");
    expect(ok.status).toBe(200);
  });

  it("issues codes that sometimes end in '=' and survive URL encoding", async () => {
    const emu = emulator();
    const codes = [await authorizeForCode(emu, "a"), await authorizeForCode(emu, "b"), await authorizeForCode(emu, "c")];
    expect(codes.some((c) => c.endsWith("="))).toBe(true);
    for (const code of codes) expect((await exchange(emu, code, "form")).status).toBe(200);
  });

  it("redirects a denied consent with error=access_denied and the state", async () => {
    const emu = emulator();
    const page = await (await fetch(`${emu.url}/oauth?client_id=${emu.clientId}&state=deny-me&redirect_uri=${encodeURIComponent(CALLBACK)}`)).text();
    const href = /href="(\/oauth\/deny[^"]+)"/.exec(page)?.[1]?.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    expect(href).toBeTruthy();
    const res = await fetch(`${emu.url}${href}`, { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("deny-me");
    expect(location.searchParams.get("code")).toBeNull();
  });

  it("uninstall revokes that token: later calls get 401 token_revoked", async () => {
    const emu = emulator();
    const token = emu.issueToken();
    const bystander = emu.issueToken();
    const res = await callEmulator(emu, "/auth/uninstall", { method: "POST", token, body: {} });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const after = await callEmulator<ErrorList>(emu, "/me", { token });
    expect(after.status).toBe(401);
    expect(after.body.errors[0]?.code).toBe("token_revoked");
    expect((await callEmulator(emu, "/me", { token: bystander })).status).toBe(200);
  });

  it("answers 401 Access Token Invalid without or with an unknown token, and revokes all via control", async () => {
    const emu = emulator();
    for (const token of [null, "garbage"]) {
      const res = await callEmulator<ErrorList>(emu, "/contacts", { token });
      expect(res.status).toBe(401);
      expect(res.body.errors[0]).toEqual({ code: "unauthorized", message: "Access Token Invalid" });
      expect(res.headers.get("x-ratelimit-limit")).toBeNull();
    }
    const token = emu.issueToken();
    expect((await fetch(`${emu.url}/_emulator/revoke-tokens`, { method: "POST" })).status).toBe(200);
    expect((await callEmulator<ErrorList>(emu, "/me", { token })).body.errors[0]?.code).toBe("token_revoked");
  });

  it("expires codes after 5 minutes", async () => {
    const clock = manualClock("2024-05-02T12:00:00Z");
    const emu = await startIntercomEmulator({ contactCount: 5, now: clock.now });
    try {
      const code = await authorizeForCode(emu);
      clock.advance(5 * 60 * 1000 + 1000);
      const res = await exchange(emu, code, "form");
      expect(res.status).toBe(401);
      expect(res.body.errors[0]?.message).toBe("Unauthorized Code");
    } finally {
      await emu.close();
    }
  });
});

describe("API conventions", () => {
  const emulator = useIntercomEmulator({ contactCount: 20 });

  it("answers 406 when Accept excludes JSON, and logs the Intercom-Version sent", async () => {
    const emu = emulator();
    const token = emu.issueToken();
    const res = await callEmulator<ErrorList>(emu, "/me", { token, headers: { Accept: "text/html" } });
    expect(res.status).toBe(406);
    emu.clearRequests();
    await callEmulator(emu, "/me", { token, headers: { "Intercom-Version": "2.16" } });
    expect(emu.requests.at(-1)).toMatchObject({ method: "GET", path: "/me", status: 200, intercomVersion: "2.16" });
    const bad = await callEmulator<ErrorList>(emu, "/me", { token, headers: { "Intercom-Version": "9.9" } });
    expect(bad.status).toBe(400);
  });

  it("returns /me with the workspace id, region and timezone", async () => {
    const emu = emulator();
    const res = await callEmulator<{ app: Record<string, unknown> }>(emu, "/me", { token: emu.issueToken() });
    expect(res.body.app).toMatchObject({ type: "app", id_code: "ws_demo1", region: "US", timezone: "America/New_York" });
  });

  it("puts X-RateLimit headers on authenticated answers, errors included", async () => {
    const emu = emulator();
    const res = await callEmulator(emu, "/contacts/000000000000000000000000", { token: emu.issueToken() });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-ratelimit-limit")).toBe("1666");
    expect(Number(res.headers.get("x-ratelimit-reset")) % 10).toBe(0);
  });
});

describe("rate limit", () => {
  it("allows N per 10-second window, then 429 with the headers, then resets", async () => {
    const clock = manualClock("2024-05-02T12:00:01Z");
    const emu = await startIntercomEmulator({ contactCount: 5, rateLimitPerWindow: 3, now: clock.now });
    try {
      const token = emu.issueToken();
      const remaining: Array<string | null> = [];
      for (let i = 0; i < 3; i++) remaining.push((await callEmulator(emu, "/me", { token })).headers.get("x-ratelimit-remaining"));
      expect(remaining).toEqual(["2", "1", "0"]);
      const limited = await callEmulator<ErrorList>(emu, "/me", { token });
      expect(limited.status).toBe(429);
      expect(limited.body.errors[0]).toEqual({ code: "rate_limit_exceeded", message: "Exceeded rate limit of 3 in 10_seconds" });
      expect(limited.headers.get("x-ratelimit-limit")).toBe("3");
      expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(limited.headers.get("x-ratelimit-reset")).toBe(String(Date.parse("2024-05-02T12:00:10Z") / 1000));
      clock.set("2024-05-02T12:00:10Z");
      expect((await callEmulator(emu, "/me", { token })).status).toBe(200);
    } finally {
      await emu.close();
    }
  });
});

describe("data attributes", () => {
  const emulator = useIntercomEmulator({ contactCount: 5 });
  let token: string;
  beforeAll(() => {
    token = emulator().issueToken();
  });
  const create = (body: Record<string, unknown>) => callEmulator<Record<string, unknown> & ErrorList>(emulator(), "/data_attributes", { token, body });

  it("creates attributes with 200; options read back as string + options, datetime as date", async () => {
    const plain = await create({ name: "Cancellation reason", model: "contact", data_type: "string", description: "Survey" });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ type: "data_attribute", name: "Cancellation reason", full_name: "custom_attributes.Cancellation reason", custom: true, archived: false });
    const list = await create({ name: "nps_band", model: "contact", data_type: "options", options: [{ value: "low" }, { value: "high" }] });
    expect(list.body).toMatchObject({ data_type: "string", options: ["low", "high"] });
    const when = await create({ name: "cancelled_at", model: "contact", data_type: "datetime" });
    expect(when.body.data_type).toBe("date");
    for (const name of ["price-€", "Prix_HT", "naïve name 2", "cost £"]) expect((await create({ name, model: "contact", data_type: "string" })).status).toBe(200);
  });

  it("rejects bad names, types, models, duplicates and short option lists with the documented messages", async () => {
    for (const name of ["has.dot", "has$dollar", "semi;colon", "quote'"]) {
      const res = await create({ name, model: "contact", data_type: "string" });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toEqual({
        code: "parameter_invalid",
        message: "Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens",
      });
    }
    expect((await create({ name: "x1", model: "contact", data_type: "text" })).body.errors[0]?.message).toBe("Data Type isn't an option");
    expect((await create({ name: "x2", model: "conversation", data_type: "string" })).body.errors[0]?.message).toBe(
      "The Data Attribute model field must be either contact or company",
    );
    const dup = await create({ name: "plan_name", model: "contact", data_type: "string" });
    expect(dup.status).toBe(400);
    expect(dup.body.errors[0]?.message).toBe("You already have 'plan_name' in your people data. To save this as new people data, use a different name.");
    expect((await create({ name: "one_opt", model: "contact", data_type: "options", options: [{ value: "a" }] })).status).toBe(400);
  });

  it("answers 422 for model=conversation and hides archived attributes by default", async () => {
    const emu = emulator();
    const conv = await callEmulator<ErrorList>(emu, "/data_attributes?model=conversation", { token });
    expect(conv.status).toBe(422);
    expect(conv.body.errors[0]).toEqual({
      code: "parameter_invalid",
      message: "model=conversation is no longer supported. Use GET /conversations/attributes instead",
    });
    const names = async (q: string) =>
      (await callEmulator<{ data: Array<{ name: string }> }>(emu, `/data_attributes?${q}`, { token })).body.data.map((d) => d.name);
    expect(await names("model=contact")).not.toContain("legacy_score");
    expect(await names("model=contact&include_archived=true")).toContain("legacy_score");
  });

  it("updates and archives by id; unknown id is 404 field_not_found", async () => {
    const emu = emulator();
    const id = emu.store.customAttribute("cancel_comment")?.id;
    const res = await callEmulator<Record<string, unknown>>(emu, `/data_attributes/${id}`, { method: "PUT", token, body: { archived: true, description: "old" } });
    expect(res.body).toMatchObject({ archived: true, description: "old" });
    await callEmulator(emu, `/data_attributes/${id}`, { method: "PUT", token, body: { archived: false } });
    const missing = await callEmulator<ErrorList>(emu, "/data_attributes/424242", { method: "PUT", token, body: { archived: true } });
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]).toEqual({ code: "field_not_found", message: "We couldn't find that data attribute to update" });
  });

  it("caps active custom contact attributes at 250; archiving frees a slot", async () => {
    const emu = emulator();
    const active = () => emu.store.listCustomAttributes().filter((a) => a.model === "contact" && !a.archived).length;
    let i = 0;
    while (active() < 250) expect((await create({ name: `filler ${i++}`, model: "contact", data_type: "integer" })).status).toBe(200);
    const over = await create({ name: "one too many", model: "contact", data_type: "string" });
    expect(over.status).toBe(400);
    expect(over.body.errors[0]?.code).toBe("parameter_invalid");
    expect(over.body.errors[0]?.message).toMatch(/250/);
    emu.store.archiveAttribute("filler 0");
    expect((await create({ name: "one too many", model: "contact", data_type: "string" })).status).toBe(200);
  });
});

describe("listing contacts", () => {
  const emulator = useIntercomEmulator({ seed: 2, contactCount: 320 });

  it("defaults to 10 per page, caps per_page at 150 and rejects bad cursors", async () => {
    const emu = emulator();
    const token = emu.issueToken();
    const first = await callEmulator<ContactList>(emu, "/contacts", { token });
    expect(first.body.data).toHaveLength(10);
    expect(first.body.pages).toMatchObject({ type: "pages", page: 1, per_page: 10, total_pages: 32 });
    expect(first.body.total_count).toBe(319);
    expect((await callEmulator(emu, "/contacts?per_page=151", { token })).status).toBe(400);
    const bad = await callEmulator<ErrorList>(emu, "/contacts?starting_after=None", { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]?.message).toMatch(/Invalid starting_after param/);
  });

  it("reads every active contact exactly once when looping on pages.next", async () => {
    const emu = emulator();
    const token = emu.issueToken();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = `per_page=150${cursor ? `&starting_after=${encodeURIComponent(cursor)}` : ""}`;
      const res = await callEmulator<ContactList>(emu, `/contacts?${query}`, { token });
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((c) => c.id));
      cursor = res.body.pages.next?.starting_after;
      pages++;
      if (!cursor) expect(res.body.pages.next).toBeUndefined();
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(emu.store.listContacts().map((c) => c.id).sort());
  });
});

describe("searching contacts", () => {
  const emulator = useIntercomEmulator({ seed: 5, contactCount: 300 });
  let token: string;
  beforeAll(() => {
    token = emulator().issueToken();
  });
  const search = (body: Record<string, unknown>) => searchAll(emulator(), token, body);
  const filter = (field: string, operator: string, value: unknown) => search({ query: { field, operator, value } });

  it("requires a query", async () => {
    expect((await search({})).status).toBe(400);
  });

  it("validates operators against the field type", async () => {
    const rejected: Array<[string, string, unknown]> = [
      ["updated_at", "!=", 1714557600],
      ["updated_at", ">=", 1714557600],
      ["created_at", "<=", 1714557600],
      ["created_at", "IN", [1714557600]],
      ["created_at", "NIN", [1714557600]],
      ["email", "<", "a"],
      ["email", "AND", "ana@example.com"],
      ["has_hard_bounced", "~", true],
      ["custom_attributes.seats", "~", 3],
      ["custom_attributes.is_vip", ">", true],
      ["role", "IN", "user"],
      ["tag_id", "IN", ["1"]],
    ];
    for (const [field, operator, value] of rejected) {
      const res = await filter(field, operator, value);
      expect(res.status, `${field} ${operator}`).toBe(400);
    }
    const accepted: Array<[string, string, unknown]> = [
      ["email", "~", "example"],
      ["email", "$", "@example.com"],
      ["name", "^", "A"],
      ["role", "NIN", ["lead"]],
      ["custom_attributes.seats", ">=", 100],
      ["custom_attributes.lifetime_value", "<", 99.5],
      ["custom_attributes.is_vip", "=", true],
      ["custom_attributes.renewal_date", ">", 1714557600],
      ["unsubscribed_from_emails", "!=", true],
      ["created_at", "<", "1714557600"],
    ];
    for (const [field, operator, value] of accepted) {
      const res = await filter(field, operator, value);
      expect(res.status, `${field} ${operator} ${res.text}`).toBe(200);
    }
  });

  it("requires the value type to match the field", async () => {
    for (const [field, value] of [
      ["created_at", "yesterday"],
      ["email", 5],
      ["custom_attributes.is_vip", "true"],
      ["custom_attributes.seats", "12"],
      ["custom_attributes.seats", 1.5],
    ] as const) {
      expect((await filter(field, "=", value)).status, `${field}=${String(value)}`).toBe(400);
    }
  });

  it("rejects unknown and archived fields", async () => {
    expect((await filter("favourite_colour", "=", "red")).status).toBe(400);
    expect((await filter("custom_attributes.nope", "=", "x")).status).toBe(400);
    expect((await filter("custom_attributes.legacy_score", "=", 1)).status).toBe(400);
  });

  it("allows 2 levels of nesting and 15 filters per group", async () => {
    const f = { field: "role", operator: "=", value: "user" };
    expect((await search({ query: { operator: "AND", value: [{ operator: "OR", value: [f, f] }, f] } })).status).toBe(200);
    const tooDeep = await search({ query: { operator: "AND", value: [{ operator: "OR", value: [{ operator: "AND", value: [f] }] }] } });
    expect(tooDeep.status).toBe(400);
    expect((await search({ query: { operator: "OR", value: Array(15).fill(f) } })).status).toBe(200);
    const tooWide = await search({ query: { operator: "OR", value: Array(16).fill(f) } });
    expect(tooWide.status).toBe(400);
    expect((tooWide.body as unknown as ErrorList).errors[0]?.message).toMatch(/15/);
  });

  it("validates sort.order with invalid_sort_order", async () => {
    const res = await search({ query: { field: "role", operator: "=", value: "user" }, sort: { field: "updated_at", order: "desc" } });
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorList).errors[0]).toEqual({
      code: "invalid_sort_order",
      message: "Invalid sort order 'desc'. Must be one of: ascending, descending",
    });
  });

  it("defaults to 50 per page, caps at 150, and sorts by the requested field", async () => {
    const q = { field: "role", operator: "=", value: "user" };
    const def = await search({ query: q });
    expect(def.body.pages.per_page).toBe(50);
    expect(def.body.data).toHaveLength(50);
    expect((await search({ query: q, pagination: { per_page: 151 } })).status).toBe(400);
    const asc = await search({ query: q, pagination: { per_page: 150 }, sort: { field: "updated_at", order: "ascending" } });
    const times = asc.body.data.map((c) => c.updated_at);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it("matches emails case-insensitively and finds both contacts of a shared email", async () => {
    const mixed = await filter("email", "=", "user7@example.com");
    expect(mixed.body.data.map((c) => c.email)).toEqual(["User7@Example.COM"]);
    const shared = await filter("email", "=", SHARED_LEAD_USER_EMAIL.toUpperCase());
    expect(shared.body.total_count).toBe(2);
    expect(shared.body.data.map((c) => c.role).sort()).toEqual(["lead", "user"]);
  });

  it("matches a missing value with value null", async () => {
    const res = await search({ query: { field: "email", operator: "=", value: null }, pagination: { per_page: 150 } });
    expect(res.body.total_count).toBe(12);
    expect(res.body.data.every((c) => c.email === null && c.role === "lead")).toBe(true);
  });

  it("excludes merged contacts, and a next page without the original sort fails", async () => {
    const merged = emulator().store.allRecords()[SEEDED_MERGE.from - 1];
    const res = await filter("id", "=", merged?.contact.id);
    expect(res.body.total_count).toBe(0);
    const q = { field: "role", operator: "=", value: "user" };
    const first = await search({ query: q, sort: { field: "updated_at", order: "ascending" } });
    const second = await search({ query: q, pagination: { starting_after: first.body.pages.next?.starting_after } });
    expect(second.status).toBe(500);
  });
});

describe("search date semantics (workspace timezone America/New_York)", () => {
  // 2024-05-01 10:00 and 15:00 in New York (EDT, UTC-4).
  const WATERMARK = Date.parse("2024-05-01T14:00:00Z") / 1000;
  const SAME_DAY_LATER = Date.parse("2024-05-01T19:00:00Z") / 1000;
  const LATE_EVENING = Date.parse("2024-05-02T02:00:00Z") / 1000; // 22:00 on May 1 in New York
  const NEXT_DAY = Date.parse("2024-05-02T13:00:00Z") / 1000;
  const clock = manualClock("2024-05-03T12:00:00Z");
  let emu: RunningEmulator;
  let token: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    emu = await startIntercomEmulator({ seed: 9, contactCount: 40, now: clock.now });
    token = emu.issueToken();
    const stamp = (label: string, at: number) => {
      const c = emu.store.createContact({ email: `${label}@dates.test`, created_at: at - 3600 });
      emu.store.updateContact(c.id, { updated_at: at });
      ids[label] = c.id;
    };
    stamp("same-day", SAME_DAY_LATER);
    stamp("late-evening", LATE_EVENING);
    stamp("next-day", NEXT_DAY);
  });
  afterAll(() => emu.close());

  const updatedAfter = async (value: number) => {
    const res = await searchAll(emu, token, {
      query: { operator: "AND", value: [{ field: "updated_at", operator: ">", value }, { field: "email", operator: "$", value: "@dates.test" }] },
      sort: { field: "updated_at", order: "ascending" },
    });
    expect(res.status).toBe(200);
    return res.body.data.map((c) => c.id);
  };

  it("C01: updated_at > watermark skips the rest of the watermark's local day", async () => {
    const found = await updatedAfter(WATERMARK);
    expect(found).not.toContain(ids["same-day"]);
    expect(found).not.toContain(ids["late-evening"]);
    expect(found).toEqual([ids["next-day"]]);
  });

  it("C01: updated_at > watermark - 86400 returns the same-day change", async () => {
    const found = await updatedAfter(WATERMARK - 86400);
    expect(found).toEqual([ids["same-day"], ids["late-evening"], ids["next-day"]]);
  });

  it("= matches the whole local day and < stops at the start of it", async () => {
    const eq = await searchAll(emu, token, {
      query: { operator: "AND", value: [{ field: "updated_at", operator: "=", value: WATERMARK }, { field: "email", operator: "$", value: "@dates.test" }] },
    });
    expect(eq.body.data.map((c) => c.id).sort()).toEqual([ids["same-day"], ids["late-evening"]].sort());
    const before = await searchAll(emu, token, {
      query: { operator: "AND", value: [{ field: "updated_at", operator: "<", value: NEXT_DAY }, { field: "email", operator: "$", value: "@dates.test" }] },
    });
    expect(before.body.data.map((c) => c.id).sort()).toEqual([ids["same-day"], ids["late-evening"]].sort());
  });

  it("responses keep full-second timestamps", async () => {
    const res = await callEmulator<ContactObject>(emu, `/contacts/${ids["same-day"]}`, { token });
    expect(res.body.updated_at).toBe(SAME_DAY_LATER);
  });
});

describe("paging while contacts change (C03) and index lag (C02)", () => {
  const clock = manualClock("2024-05-03T12:00:00Z");
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startIntercomEmulator({ seed: 11, contactCount: 30, now: clock.now, searchIndexLagSeconds: 120 });
    token = emu.issueToken();
  });
  afterAll(() => emu.close());

  it("moves a contact updated mid-paging to a later page, so a pass sees it twice", async () => {
    const body = { query: { field: "role", operator: "=", value: "user" }, sort: { field: "updated_at", order: "ascending" }, pagination: { per_page: 5 } };
    const first = await searchAll(emu, token, body);
    const moved = first.body.data[0]?.id ?? "";
    clock.advance(1000);
    emu.store.updateContact(moved, { name: "Changed Meanwhile" });

    const seen = first.body.data.map((c) => c.id);
    let cursor = first.body.pages.next?.starting_after;
    while (cursor) {
      const page = await searchAll(emu, token, { ...body, pagination: { per_page: 5, starting_after: cursor } });
      seen.push(...page.body.data.map((c) => c.id));
      cursor = page.body.pages.next?.starting_after;
    }
    expect(seen.filter((id) => id === moved)).toHaveLength(2);
    expect(seen.at(-1)).toBe(moved);
    expect(new Set(seen).size).toBe(first.body.total_count);
  });

  it("hides newly created contacts from search until the lag has passed", async () => {
    const created = emu.store.createContact({ email: "fresh@lag.test", role: "lead" });
    const find = () => searchAll(emu, token, { query: { field: "email", operator: "=", value: "fresh@lag.test" } });
    expect((await find()).body.total_count).toBe(0);
    expect((await callEmulator(emu, `/contacts/${created.id}`, { token })).status).toBe(200);
    clock.advance(121_000);
    expect((await find()).body.data.map((c) => c.id)).toEqual([created.id]);
  });
});

describe("getting and updating a contact", () => {
  const clock = manualClock("2024-05-03T12:00:00Z");
  let emu: RunningEmulator;
  let token: string;
  let user: ContactObject;
  beforeAll(async () => {
    emu = await startIntercomEmulator({ seed: 1, contactCount: 60, now: clock.now });
    token = emu.issueToken();
    user = emu.store.listContacts().find((c) => c.role === "user" && c.custom_attributes.plan_name !== undefined) as ContactObject;
  });
  afterAll(() => emu.close());
  const put = (id: string, body: unknown) => callEmulator<ContactObject & ErrorList>(emu, `/contacts/${id}`, { method: "PUT", token, body });

  it("returns the full 2.16 contact shape", async () => {
    const res = await callEmulator<Record<string, unknown>>(emu, `/contacts/${user.id}`, { token });
    expect(res.status).toBe(200);
    for (const key of ["workspace_id", "external_id", "owner_id", "tags", "notes", "companies", "location", "social_profiles", "custom_attributes", "opted_in_subscription_types", "enabled_push_messaging"]) {
      expect(res.body, key).toHaveProperty(key);
    }
    expect(res.body.tags).toMatchObject({ type: "list", data: [], url: `/contacts/${user.id}/tags`, total_count: 0, has_more: false });
  });

  it("merges custom attributes, clears with null and bumps updated_at", async () => {
    clock.advance(5000);
    const first = await put(user.id, { custom_attributes: { cancel_reason: "Too expensive", cancel_rating: 2 } });
    expect(first.status).toBe(200);
    expect(first.body.updated_at).toBe(Math.floor(clock.now() / 1000));
    expect(first.body.custom_attributes).toMatchObject({ cancel_reason: "Too expensive", cancel_rating: 2, plan_name: user.custom_attributes.plan_name });
    const second = await put(user.id, { custom_attributes: { cancel_rating: null, cancel_reason_code: "too_expensive" } });
    expect(second.body.custom_attributes).toMatchObject({ cancel_reason: "Too expensive", cancel_rating: null, cancel_reason_code: "too_expensive" });
    const named = await put(user.id, { name: "Renamed Person", email: "renamed@example.com" });
    expect(named.body).toMatchObject({ name: "Renamed Person", email: "renamed@example.com", email_domain: "example.com" });
  });

  it("rejects unknown, archived, mistyped and off-list values, applying nothing", async () => {
    const before = emu.store.getContact(user.id)?.contact;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ cancel_reason: "ok", does_not_exist: 1 }, /does_not_exist/],
      [{ legacy_score: 3 }, /legacy_score/],
      [{ seats: "12 seats" }, /seats/],
      [{ seats: 1.5 }, /seats/],
      [{ is_vip: "true" }, /is_vip/],
      [{ lifetime_value: "9.99" }, /lifetime_value/],
      [{ plan_name: 42 }, /plan_name/],
      [{ renewal_date: "2024-05-01T10:00:00Z" }, /renewal_date/],
      [{ cancel_comment: { text: "x" } }, /cancel_comment/],
      [{ cancel_comment: ["x"] }, /cancel_comment/],
      [{ account_tier: "gold" }, /account_tier/],
      [{ cancel_reason_code: "Too expensive" }, /cancel_reason_code/],
    ];
    for (const [attrs, message] of cases) {
      const res = await put(user.id, { custom_attributes: attrs });
      expect(res.status, JSON.stringify(attrs)).toBe(400);
      expect(res.body.errors[0]?.code).toBe("parameter_invalid");
      expect(res.body.errors[0]?.message).toMatch(message);
    }
    expect(emu.store.getContact(user.id)?.contact).toEqual(before);
  });

  it("enforces a maximum string length only when configured", async () => {
    const long = "x".repeat(256);
    expect((await put(user.id, { custom_attributes: { cancel_comment: long } })).status).toBe(200);
    emu.configure({ maxStringLength: 255 });
    try {
      expect((await put(user.id, { custom_attributes: { cancel_comment: long } })).status).toBe(400);
      expect((await put(user.id, { custom_attributes: { cancel_comment: "😀".repeat(255) } })).status).toBe(200);
    } finally {
      emu.configure({ maxStringLength: null });
    }
  });

  it("answers 404 User Not Found for unknown and deleted contacts", async () => {
    const res = await callEmulator<ErrorList>(emu, "/contacts/0123456789abcdef01234567", { token });
    expect(res.status).toBe(404);
    expect(res.body.errors[0]).toEqual({ code: "not_found", message: "User Not Found" });
    const doomed = emu.store.createContact({ email: "doomed@example.com" });
    emu.store.deleteContact(doomed.id);
    expect((await callEmulator(emu, `/contacts/${doomed.id}`, { token })).status).toBe(404);
    expect((await put(doomed.id, { name: "x" })).status).toBe(404);
  });

  it("answers 410 contact_merged with a canonical Link on GET (following chains), 404 on PUT", async () => {
    const seededFrom = emu.store.allRecords()[SEEDED_MERGE.from - 1]?.contact.id ?? "";
    const seededInto = emu.store.allRecords()[SEEDED_MERGE.into - 1]?.contact.id ?? "";
    const gone = await callEmulator<ErrorList>(emu, `/contacts/${seededFrom}`, { token });
    expect(gone.status).toBe(410);
    expect(gone.body.errors[0]?.code).toBe("contact_merged");
    expect(gone.headers.get("link")).toBe(`</contacts/${seededInto}>; rel="canonical"`);
    expect((await put(seededFrom, { name: "x" })).status).toBe(404);

    const a = emu.store.createContact({ role: "lead", email: "hop-a@example.com" });
    const b = emu.store.createContact({ role: "lead", email: "hop-b@example.com" });
    const c = emu.store.createContact({ role: "user", email: "hop-c@example.com" });
    emu.store.mergeContact(a.id, b.id);
    emu.store.mergeContact(b.id, c.id);
    const chained = await callEmulator(emu, `/contacts/${a.id}`, { token });
    expect(chained.headers.get("link")).toBe(`</contacts/${c.id}>; rel="canonical"`);
    const history = await callEmulator<{ merge_history: Array<{ source_contact_id: string }> }>(emu, `/contacts/${c.id}?include_merge_history=true`, { token });
    expect(history.body.merge_history.map((h) => h.source_contact_id)).toEqual([b.id]);
  });
});

describe("faults", () => {
  const emulator = useIntercomEmulator({ contactCount: 30 });
  let token: string;
  beforeAll(() => {
    token = emulator().issueToken();
  });

  it("serves queued 500s for matching requests only, then recovers", async () => {
    const emu = emulator();
    emu.faults.inject({ status: 500, count: 2, match: { pathPrefix: "/contacts" } });
    expect((await callEmulator(emu, "/me", { token })).status).toBe(200);
    const a = await callEmulator<ErrorList>(emu, "/contacts", { token });
    expect(a.status).toBe(500);
    expect(a.body.errors[0]?.code).toBe("server_error");
    expect(a.body.request_id).toBe(a.headers.get("x-request-id"));
    expect((await callEmulator(emu, "/contacts/search", { token, body: { query: { field: "role", operator: "=", value: "user" } } })).status).toBe(500);
    expect((await callEmulator(emu, "/contacts", { token })).status).toBe(200);
  });

  it("serves an HTML 502 like a gateway, and 503/429 in the Intercom envelope", async () => {
    const emu = emulator();
    emu.faults.inject({ status: 502 }, { status: 503 }, { status: 429 });
    const gateway = await callEmulator(emu, "/me", { token });
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get("content-type")).toContain("text/html");
    expect(gateway.text).toContain("<title>502 Bad Gateway</title>");
    const unavailable = await callEmulator<ErrorList>(emu, "/me", { token });
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.errors[0]?.code).toBe("service_unavailable");
    const limited = await callEmulator<ErrorList>(emu, "/me", { token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited.headers.get("x-ratelimit-reset")).toMatch(/^\d+$/);
  });

  it("accepts faults over the control endpoint", async () => {
    const emu = emulator();
    const res = await fetch(`${emu.url}/_emulator/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ queue: [{ status: 503, count: 1, match: { method: "PUT" } }] }),
    });
    expect(res.status).toBe(200);
    expect((await callEmulator(emu, "/me", { token })).status).toBe(200);
    const id = emu.store.listContacts()[0]?.id;
    expect((await callEmulator(emu, `/contacts/${id}`, { method: "PUT", token, body: { name: "x" } })).status).toBe(503);
    expect((await callEmulator(emu, `/contacts/${id}`, { method: "PUT", token, body: { name: "x" } })).status).toBe(200);
  });

  it("answers a standing share of matching requests with 429 until the faults are cleared", async () => {
    const emu = emulator();
    const res = await fetch(`${emu.url}/_emulator/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ queue: [{ status: 429, rate: 0.25, match: { method: "PUT", pathPrefix: "/contacts/" } }] }),
    });
    expect(res.status).toBe(200);
    const id = emu.store.listContacts()[2]?.id;
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      statuses.push((await callEmulator(emu, `/contacts/${id}`, { method: "PUT", token, body: { custom_attributes: {} } })).status);
    }
    const limited = statuses.filter((s) => s === 429).length;
    expect(limited).toBeGreaterThan(30);
    expect(limited).toBeLessThan(70);
    expect(statuses.filter((s) => s !== 429 && s !== 200)).toEqual([]);
    // Other requests are untouched, and the rule is not used up.
    for (let i = 0; i < 20; i++) expect((await callEmulator(emu, `/contacts/${id}`, { token })).status).toBe(200);
    expect(emu.faults.snapshot().rated).toHaveLength(1);

    await fetch(`${emu.url}/_emulator/faults`, { method: "DELETE" });
    for (let i = 0; i < 40; i++) {
      expect((await callEmulator(emu, `/contacts/${id}`, { method: "PUT", token, body: { custom_attributes: {} } })).status).toBe(200);
    }
  });

  it("hangs a request; the write still lands after the client gave up (C20)", async () => {
    const emu = emulator();
    const id = emu.store.listContacts()[1]?.id ?? "";
    emu.faults.hang({ ms: 400, match: { method: "PUT" } });
    const started = Date.now();
    await expect(
      fetch(`${emu.url}/contacts/${id}`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${token}`, Accept: "application/json", "Content-Type": "application/json" },
        body: JSON.stringify({ custom_attributes: { cancel_reason: "price" } }),
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(350);
    await new Promise((r) => setTimeout(r, 450));
    expect(emu.store.getContact(id)?.contact.custom_attributes.cancel_reason).toBe("price");
    expect((await callEmulator(emu, "/me", { token })).status).toBe(200);
  });
});

describe("control endpoints, request log and deep links", () => {
  const emulator = useIntercomEmulator({ contactCount: 30 });

  it("records requests and clears them", async () => {
    const emu = emulator();
    const token = emu.issueToken();
    await fetch(`${emu.url}/_emulator/requests`, { method: "DELETE" });
    await callEmulator(emu, "/contacts/search", { token, body: { query: { field: "role", operator: "=", value: "lead" } } });
    const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { requests: Array<Record<string, unknown>> };
    expect(log.requests).toHaveLength(1);
    expect(log.requests[0]).toMatchObject({
      method: "POST",
      path: "/contacts/search",
      status: 200,
      body: { query: { field: "role", operator: "=", value: "lead" } },
      intercomVersion: "2.16",
    });
    expect(String((log.requests[0]?.headers as Record<string, string>).authorization)).toMatch(/^Bearer /);
  });

  it("creates, changes and inspects contacts, and resets", async () => {
    const emu = emulator();
    const created = (await (
      await fetch(`${emu.url}/_emulator/contacts`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "new.person@example.com", name: "New Person" }),
      })
    ).json()) as { contact: ContactObject };
    expect(created.contact.id).toMatch(/^[0-9a-f]{24}$/);
    const changed = (await (
      await fetch(`${emu.url}/_emulator/contacts/${created.contact.id}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ custom_attributes: { plan_name: "Scale" }, updated_at: 1714575600 }),
      })
    ).json()) as { contact: ContactObject };
    expect(changed.contact).toMatchObject({ updated_at: 1714575600, custom_attributes: { plan_name: "Scale" } });
    const raw = (await (await fetch(`${emu.url}/_emulator/contacts/${emu.store.allRecords()[SEEDED_MERGE.from - 1]?.contact.id}`)).json()) as { state: string };
    expect(raw.state).toBe("merged");
    const byEmail = (await (await fetch(`${emu.url}/_emulator/contacts?email=USER15@example.com`)).json()) as { contacts: unknown[] };
    expect(byEmail.contacts).toHaveLength(1);

    expect((await fetch(`${emu.url}/_emulator/reset`, { method: "POST" })).status).toBe(200);
    expect(emu.store.getContact(created.contact.id)).toBeUndefined();
    expect(emu.store.allRecords()).toHaveLength(30);
  });

  it("serves the deep-link contact page on the app host", async () => {
    const emu = emulator();
    const contact = emu.store.listContacts().find((c) => c.name && c.email) as ContactObject;
    const res = await fetch(`${emu.url}/a/apps/${emu.workspace.id}/users/${contact.id}/all-conversations`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(`<title>${contact.name} | Acme Demo | Intercom</title>`);
    expect(page).toContain(contact.email);
    expect((await fetch(`${emu.url}/a/apps/${emu.workspace.id}/users/0123456789abcdef01234567/all-conversations`)).status).toBe(404);
    expect((await fetch(`${emu.url}/a/apps/other_ws/users/${contact.id}/all-conversations`)).status).toBe(404);
  });
});

describe("workspace file", () => {
  it("loads contacts and data attributes from API-shaped JSON", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "intercom-ws-"));
    const file = path.join(dir, "workspace.json");
    writeFileSync(
      file,
      JSON.stringify({
        workspace: { id: "filews1", name: "File Co", timezone: "Europe/London", region: "EU" },
        data_attributes: [{ id: 7, name: "tier", model: "contact", data_type: "string", options: ["a", "b"], custom: true }],
        contacts: [
          { id: "aaaaaaaaaaaaaaaaaaaaaaaa", role: "user", email: "one@file.test", created_at: 1714557600, custom_attributes: { tier: "a" } },
          { id: "bbbbbbbbbbbbbbbbbbbbbbbb", role: "lead", email: null },
          { id: "cccccccccccccccccccccccc", role: "lead", email: "gone@file.test", _emulator: { state: "merged", merged_into: "aaaaaaaaaaaaaaaaaaaaaaaa" } },
        ],
      }),
    );
    const emu = await startIntercomEmulator({ workspaceFile: file });
    try {
      const token = emu.issueToken();
      const me = await callEmulator<{ app: Record<string, unknown> }>(emu, "/me", { token });
      expect(me.body.app).toMatchObject({ id_code: "filews1", region: "EU", timezone: "Europe/London" });
      const list = await callEmulator<ContactList>(emu, "/contacts", { token });
      expect(list.body.total_count).toBe(2);
      const one = await callEmulator<ContactObject>(emu, "/contacts/aaaaaaaaaaaaaaaaaaaaaaaa", { token });
      expect(one.body).toMatchObject({ workspace_id: "filews1", custom_attributes: { tier: "a" }, location: { type: "location" } });
      expect((await callEmulator(emu, "/contacts/cccccccccccccccccccccccc", { token })).status).toBe(410);
      const bad = await callEmulator(emu, "/contacts/aaaaaaaaaaaaaaaaaaaaaaaa", { method: "PUT", token, body: { custom_attributes: { tier: "c" } } });
      expect(bad.status).toBe(400);
    } finally {
      await emu.close();
    }
  });
});
