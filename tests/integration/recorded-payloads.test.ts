// Contract tests: Holdfast's Intercom client, token exchange and webhook receiver given the payloads
// recorded in API-NOTES.md (real captures, and examples from the spec, the docs and the forum),
// over real HTTP. The emulator is validated against the spec elsewhere; this checks that what
// Intercom really sends reaches the app intact, so a stricter schema or a lost field fails here,
// not in a customer's workspace.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intercomConnections } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto/encryption";
import { resetEnvCache } from "@/lib/env";
import { createIntercomClient } from "@/lib/intercom/client";
import { IntercomError } from "@/lib/intercom/errors";
import { exchangeCode } from "@/lib/intercom/oauth";
import { receiveIntercomNotification } from "@/lib/webhooks/receive-notification";
import { signIntercomBody } from "@/lib/webhooks/signature";
import { API_NOTES_PATH, notesAvailable, recordedHttp, recordedPayloads } from "../support/api-notes";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

const SECRET = "holdfast-dev-secret"; // vitest env INTERCOM_CLIENT_SECRET

type Json = Record<string, unknown>;
const haveNotes = notesAvailable();
if (!haveNotes) console.warn(`recorded-payloads: skipped, the API notes are not at ${API_NOTES_PATH}`);
const payloads = haveNotes ? recordedPayloads() : [];

/** The one recorded payload of a section that fits `fits`; the notes changing shape fails loudly. */
function recorded(section: string, fits: (body: Json) => boolean): Json {
  const found = payloads.filter((p) => p.section.startsWith(section) && typeof p.body === "object" && p.body !== null && fits(p.body as Json));
  if (found.length !== 1) throw new Error(`expected one recorded payload under "${section}", found ${found.length}`);
  return structuredClone(found[0]!.body) as Json;
}

interface Replay {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Answers "METHOD /path" with a recorded payload; anything else is a 404 the test would notice. */
async function startReplay(routes: Record<string, Replay>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const key = `${req.method} ${(req.url ?? "").split("?")[0]}`;
    req.resume();
    req.on("end", () => {
      const reply = routes[key] ?? { status: 404, body: { type: "error.list", errors: [{ code: "replay_missing", message: key }] } };
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function failure(p: Promise<unknown>): Promise<IntercomError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof IntercomError)) throw new Error(`expected an IntercomError, got ${String(err)}`);
  return err;
}

describe.skipIf(!haveNotes)("Intercom's recorded payloads (API-NOTES.md) through Holdfast's client", () => {
  let replay: Awaited<ReturnType<typeof startReplay>>;
  let contact: Json;
  const apiUrlBefore = process.env.INTERCOM_API_URL;

  beforeAll(async () => {
    contact = recorded("3.1", (b) => b.type === "contact");
    const searchPage = recorded("3.3", (b) => b.type === "list" && b.total_count === 78);
    const rateLimited = recordedHttp("4.1 Error body");
    replay = await startReplay({
      "GET /me": { status: 200, body: recorded("1.3", (b) => b.type === "admin") },
      "POST /auth/eagle/token": { status: 200, body: recorded("1.2", (b) => b.token_type === "Bearer") },
      "GET /data_attributes": { status: 200, body: recorded("2.1", (b) => b.type === "list") },
      "POST /data_attributes": { status: 200, body: recorded("2.2", (b) => b.type === "data_attribute") },
      [`GET /contacts/${contact.id}`]: { status: 200, body: contact },
      [`PUT /contacts/${contact.id}`]: { status: 200, body: contact },
      // The recorded search page elides its contacts ("..."): the recorded contact stands in.
      "POST /contacts/search": { status: 200, body: { ...searchPage, data: [contact] } },
      "GET /contacts/gone": { status: 404, body: recorded("3.5", (b) => JSON.stringify(b).includes('"not_found"')) },
      "GET /contacts/merged": {
        status: 410,
        body: recorded("3.5", (b) => JSON.stringify(b).includes('"contact_merged"')),
        headers: { link: '</contacts/6762f0d01bb69f9f2193bb7d>; rel="canonical"' },
      },
      "GET /contacts/revoked": { status: 401, body: recorded("4.1", (b) => b.type === "error.list") },
      "GET /contacts/throttled": { status: rateLimited.status, body: rateLimited.body, headers: rateLimited.headers },
    });
    process.env.INTERCOM_API_URL = replay.url;
    resetEnvCache();
  });

  afterAll(async () => {
    if (apiUrlBefore === undefined) delete process.env.INTERCOM_API_URL;
    else process.env.INTERCOM_API_URL = apiUrlBefore;
    resetEnvCache();
    await new Promise((resolve) => replay.server.close(resolve));
  });

  const client = () => createIntercomClient({ token: "tok", retries: 0 });

  it("finishes the OAuth exchange with the documented token response", async () => {
    await expect(exchangeCode("code-from-redirect")).resolves.toBe("dG9rOjBiM...");
  });

  it("reads the workspace id, time zone and region from /me", async () => {
    const me = await client().me();
    expect(me.app).toMatchObject({ id_code: "this_is_an_id1_that_should_be_at_least_40", timezone: "America/Los_Angeles", region: "US" });
  });

  it("lists data attributes with and without ids (standard ones have none)", async () => {
    const attributes = await client().listDataAttributes();
    expect(attributes.map((a) => [a.name, a.id, a.custom])).toEqual([
      ["name", undefined, false],
      ["last_request_at", undefined, false],
      ["The One Ring", 34, true],
    ]);
  });

  it("takes the 200 (not 201) answer to creating an attribute", async () => {
    const created = await client().createDataAttribute({ name: "Mithril Shirt", data_type: "string" });
    expect(created).toMatchObject({ id: 37, full_name: "custom_attributes.Mithril Shirt", data_type: "string" });
  });

  it("keeps every field of the recorded contact, fetched or written", async () => {
    const c = client();
    for (const got of [await c.getContact(String(contact.id)), await c.updateContact(String(contact.id), { custom_attributes: { nps: 6 } })]) {
      expect(got).toEqual(contact);
      expect(got.external_id).toBe("70");
    }
  });

  it("pages the recorded search answer on the main thread and on the sync's worker thread", async () => {
    const request = { query: { field: "updated_at" as const, operator: ">" as const, value: 0 }, pagination: { per_page: 150 } };
    const plain = await client().searchContacts(request);
    const threaded = await client().searchContacts(request, { attributes: ["location.city", "custom_attributes.plan"] });
    for (const page of [plain, threaded]) {
      expect(page.total_count).toBe(78);
      expect(page.pages?.next?.starting_after).toBe("Wy0xLCI1ZjIyYzQzZjkxMjU5NmY1MDNiMjA4ZWUiLDJd");
      expect(page.data.map((c) => [c.id, c.email, c.updated_at, c.role])).toEqual([[contact.id, "joe@bloggs.com", 1734537424, "user"]]);
    }
    expect(plain.data[0]).toEqual(contact);
    expect(threaded.data[0]).toMatchObject({ name: "Joe Bloggs", location: contact.location });
    expect(threaded.data[0]).not.toHaveProperty("tags");
  });

  it("turns the recorded errors into what the sync acts on", async () => {
    const c = client();
    const gone = await failure(c.getContact("gone"));
    expect([gone.kind, gone.code]).toEqual(["not_found", "not_found"]);
    expect(gone.message).toContain("User Not Found");

    const wasMerged = await failure(c.getContact("merged"));
    expect([wasMerged.kind, wasMerged.code, wasMerged.details.canonicalId]).toEqual(["gone", "contact_merged", "6762f0d01bb69f9f2193bb7d"]);

    const revoked = await failure(c.getContact("revoked"));
    expect([revoked.kind, revoked.code, revoked.details.requestId]).toEqual(["unauthorized", "unauthorized", "12a938a3-314e-4939-b773-5cd45738bd21"]);
  });

  it("reads the captured 429: its error, its request id and the rate-limit headers", async () => {
    const c = client();
    const throttled = await failure(c.getContact("throttled"));
    expect([throttled.kind, throttled.code, throttled.details.requestId]).toEqual(["rate_limited", "rate_limit_exceeded", "b2i3mhcboc6pcbe33q80"]);
    expect(throttled.message).toContain("Exceeded rate limit of 83 in 10_seconds");
    expect(c.rate).toEqual({ limit: 83, remaining: 0, resetAt: 1522849880 * 1000 });
  });
});

describe.skipIf(!haveNotes)("Intercom's recorded notifications (API-NOTES.md §5.3) at the webhook receiver", () => {
  const db = setupTestDb();
  let ping: Json;
  let company: Json;

  beforeAll(async () => {
    ping = recorded("5.3", (b) => b.topic === "ping");
    company = recorded("5.3", (b) => b.topic === "company.created");
    for (const workspaceId of [String(ping.app_id), String(company.app_id)]) {
      const { account } = await createTestAccount("Recorded");
      await db().insert(intercomConnections).values({ accountId: account.id, workspaceId, workspaceName: workspaceId, region: "US", accessTokenEnc: encryptSecret("tok") });
    }
  });

  const deliver = (body: Json) => {
    const raw = Buffer.from(JSON.stringify(body));
    return receiveIntercomNotification(raw, new Headers({ "x-hub-signature": signIntercomBody(raw, SECRET), "content-type": "application/json" }));
  };

  it("records the captured ping (id null) once, knows its retry for a duplicate, and a later ping for a new one", async () => {
    expect(ping.id).toBeNull();
    await expect(deliver(ping)).resolves.toEqual({ status: "recorded" });
    await expect(deliver(ping)).resolves.toEqual({ status: "duplicate" });
    await expect(deliver({ ...ping, first_sent_at: Number(ping.first_sent_at) + 60, created_at: Number(ping.created_at) + 60 })).resolves.toEqual({ status: "recorded" });
  });

  it("records a topic it does not apply (the documented company.created) instead of rejecting it", async () => {
    await expect(deliver(company)).resolves.toEqual({ status: "recorded" });
  });
});
