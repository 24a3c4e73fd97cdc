import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { createIntercomClient, type IntercomClient } from "@/lib/intercom/client";
import type { ContactFields } from "@/lib/intercom/decode-thread";
import { IntercomError } from "@/lib/intercom/errors";
import type { SearchRequest } from "@/lib/intercom/schemas";
import { startTestEmulator, useEmulatorHosts } from "../support/fixtures";

const everyone: SearchRequest = {
  query: { field: "updated_at", operator: ">", value: 0 },
  sort: { field: "updated_at", order: "ascending" },
  pagination: { per_page: 50 },
};
const fields: ContactFields = { attributes: ["custom_attributes.tier", "location.city"] };
const CORE = ["type", "id", "workspace_id", "external_id", "role", "email", "name", "created_at", "updated_at"];

async function failure(p: Promise<unknown>): Promise<IntercomError> {
  const err = await p.then(
    () => new Error("expected the call to fail"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IntercomError);
  return err as IntercomError;
}

/** What a caller sees of an error: inline and off the thread must agree on all of it. */
const seen = (e: IntercomError) => ({ kind: e.kind, message: e.message, status: e.status, code: e.code, retryable: e.retryable });

describe("search pages read on the worker thread", () => {
  let emu: RunningEmulator;
  let client: IntercomClient;

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 40 });
    useEmulatorHosts(emu);
    client = createIntercomClient({ token: emu.issueToken() });
    await client.createDataAttribute({ name: "tier", data_type: "string" });
    await client.createDataAttribute({ name: "desk_count", data_type: "integer" });
    const { data } = await client.searchContacts(everyone);
    for (const c of data.slice(0, 5)) await client.updateContact(c.id, { custom_attributes: { tier: `tier-${c.id}`, desk_count: 3 } });
  });

  afterAll(async () => {
    await emu.close();
  });

  it("gives the same contacts as a page read inline, each reduced to its core fields and the mapped attributes", async () => {
    const whole = await client.searchContacts(everyone);
    const reduced = await client.searchContacts(everyone, fields);

    expect(reduced.total_count).toBe(whole.total_count);
    expect(reduced.pages).toEqual(whole.pages);
    expect(reduced.data.map((c) => c.id)).toEqual(whole.data.map((c) => c.id));
    const planned = whole.data.filter((c) => c.custom_attributes.tier !== undefined);
    expect(planned).toHaveLength(5);
    for (const [i, full] of whole.data.entries()) {
      const c = reduced.data[i]!;
      const expected: Record<string, unknown> = Object.fromEntries(CORE.filter((k) => k in full).map((k) => [k, full[k as keyof typeof full]]));
      expected.location = full.location;
      // Only the mapped custom attribute, and only where the contact has it; desk_count is not mapped.
      expected.custom_attributes = "tier" in full.custom_attributes ? { tier: full.custom_attributes.tier } : {};
      expect(c).toEqual(expected);
    }
    expect(Object.keys(whole.data[0]!)).toEqual(expect.arrayContaining(["tags", "browser", "social_profiles"]));
  });

  // A request that is not part of a walk reading ahead goes through the client's rate budget and
  // reaches Intercom when it is asked for: nothing read for it, or after it, in advance.
  it("sends only the requests the client asks for, each when asked", async () => {
    const paged: SearchRequest = { ...everyone, pagination: { per_page: 10 } };
    const reader = createIntercomClient({ token: emu.issueToken() });
    emu.clearRequests();
    const first = await reader.searchContacts(paged, fields);
    const cursor = first.pages?.next?.starting_after;
    expect(cursor).toEqual(expect.any(String));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(emu.requests.filter((r) => r.path === "/contacts/search")).toHaveLength(1);

    emu.revokeAll();
    const next = { ...paged, pagination: { per_page: 10, starting_after: cursor! } };
    expect((await failure(reader.searchContacts(next, fields))).kind).toBe("unauthorized");
    expect(emu.requests.filter((r) => r.path === "/contacts/search")).toHaveLength(2);
  });

  it("reads Intercom's rate-limit headers from a page read on the thread", async () => {
    const fresh = createIntercomClient({ token: emu.issueToken() });
    await fresh.searchContacts(everyone, fields);
    expect(fresh.rate.remaining).toEqual(expect.any(Number));
    expect(fresh.rate.resetAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it("fails with exactly the errors of a request made inline: a 500, a 429 and a hang past the timeout", async () => {
    const search = { method: "POST", pathPrefix: "/contacts/search" };
    // A client of its own for each call: after a 429 a client waits for the window to reset.
    const fresh = () => createIntercomClient({ token: emu.issueToken() });
    const both = async (status: 500 | 429) => {
      emu.faults.inject({ status, count: 2, match: search });
      return [await failure(fresh().searchContacts(everyone)), await failure(fresh().searchContacts(everyone, fields))] as const;
    };
    const [inline500, thread500] = await both(500);
    expect(thread500.kind).toBe("server");
    expect(seen(thread500)).toEqual(seen(inline500));

    const [inline429, thread429] = await both(429);
    expect(thread429.kind).toBe("rate_limited");
    expect(seen(thread429)).toEqual(seen(inline429));
    expect(inline429.details.retryAfterMs).toEqual(expect.any(Number));
    expect(thread429.details.retryAfterMs).toEqual(expect.any(Number));

    const impatient = createIntercomClient({ token: emu.issueToken(), timeoutMs: 150 });
    emu.faults.hang({ ms: 600, count: 2, match: search });
    const inlineSlow = await failure(impatient.searchContacts(everyone));
    const threadSlow = await failure(impatient.searchContacts(everyone, fields));
    expect(threadSlow.kind).toBe("timeout");
    expect(seen(threadSlow)).toEqual(seen(inlineSlow));
  });
});

describe("search pages read on the worker thread from something that is not Intercom", () => {
  let server: http.Server;
  let answer: { status: number; body: string; type: string };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(answer.status, { "content-type": answer.type }).end(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.env.INTERCOM_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { resetEnvCache } = await import("@/lib/env");
    resetEnvCache();
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const client = () => createIntercomClient({ token: "t" });

  it("calls a 200 that is not JSON, or not a contact list, a bad response, as inline", async () => {
    for (const body of ["<html>Service Unavailable</html>", JSON.stringify({ type: "list", data: "none" }), JSON.stringify({ type: "list", data: [{ id: 7 }] })]) {
      answer = { status: 200, body, type: "application/json" };
      const inline = await failure(client().searchContacts(everyone));
      const thread = await failure(client().searchContacts(everyone, fields));
      expect(thread.kind).toBe("bad_response");
      expect(seen(thread)).toEqual(seen(inline));
    }
  });

  it("reads a gateway's HTML error page by its status, as inline", async () => {
    answer = { status: 502, body: "<html>Bad Gateway</html>", type: "text/html" };
    const inline = await failure(client().searchContacts(everyone));
    const thread = await failure(client().searchContacts(everyone, fields));
    expect(thread.kind).toBe("server");
    expect(seen(thread)).toEqual(seen(inline));
  });

  it("calls a refused connection a network error", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    process.env.INTERCOM_API_URL = `http://127.0.0.1:${port}`;
    const { resetEnvCache } = await import("@/lib/env");
    resetEnvCache();
    const err = await failure(client().searchContacts(everyone, fields));
    expect(err.kind).toBe("network");
    expect(err.message).toMatch(/^Could not reach Intercom: .*ECONNREFUSED/);
  });
});

describe("the next page of a walk read ahead on the worker thread", () => {
  let emu: RunningEmulator;
  const paged: SearchRequest = { ...everyone, pagination: { per_page: 10 } };
  const searchesOf = (e: RunningEmulator) => e.requests.filter((r) => r.path === "/contacts/search").length;
  const searches = () => searchesOf(emu);
  const pageAfter = (cursor: string): SearchRequest => ({ ...paged, pagination: { per_page: 10, starting_after: cursor } });
  const cursorOf = (page: Awaited<ReturnType<IntercomClient["searchContacts"]>>) => {
    const cursor = page.pages?.next?.starting_after;
    if (!cursor) throw new Error("expected a page with a next cursor");
    return cursor;
  };

  /** Requests Intercom got for the page after `cursor`. */
  const requestsFor = (cursor: string) =>
    emu.requests.filter((r) => r.path === "/contacts/search" && (r.body as SearchRequest).pagination?.starting_after === cursor).length;

  async function searchesReach(n: number) {
    for (const started = Date.now(); searches() < n && Date.now() - started < 5_000; ) await new Promise((r) => setTimeout(r, 10));
    return searches();
  }

  /** Until the early reads of earlier tests have all reached the emulator. */
  async function quiet() {
    for (let seen = -1; seen !== searches(); ) {
      seen = searches();
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** What a walk does (searchContactPages): its first page plain, the second asking for the third early. */
  async function walkTwoPages(client: IntercomClient) {
    const first = await client.searchContacts(paged, fields);
    const second = await client.searchContacts(pageAfter(cursorOf(first)), fields, { readNext: true });
    return { first, second };
  }

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 40 });
    useEmulatorHosts(emu);
  });

  afterAll(async () => {
    await emu.close();
  });

  it("answers the walk's request for that page from the early read, with what Intercom says for it", async () => {
    const token = emu.issueToken();
    const walker = createIntercomClient({ token });
    emu.clearRequests();
    const { first, second } = await walkTwoPages(walker);
    // Page 3 is asked for by the thread as soon as page 2's cursor is known.
    expect(await searchesReach(3)).toBe(3);
    // A plain request for it, even with the same token (a later run), asks Intercom.
    const fresh = await createIntercomClient({ token }).searchContacts(pageAfter(cursorOf(second)), fields);
    expect(searches()).toBe(4);
    const third = await walker.searchContacts(pageAfter(cursorOf(second)), fields, { readNext: true });
    // The walk's own request took the early read (and had page 4 read early in turn).
    expect(walker.stats.apiCalls).toBe(3);
    expect(await searchesReach(5)).toBe(5);
    expect(emu.requests.filter((r) => r.path === "/contacts/search").map((r) => (r.body as SearchRequest).pagination?.starting_after)).toEqual([
      undefined,
      cursorOf(first),
      cursorOf(second),
      cursorOf(second),
      cursorOf(third),
    ]);
    expect(third).toEqual(fresh);
    const ids = [first, second, third].flatMap((p) => p.data.map((c) => c.id));
    expect(new Set(ids).size).toBe(30);
  });

  it("never hands a page read for one token to another, nor one read for other fields", async () => {
    const walker = createIntercomClient({ token: emu.issueToken() });
    emu.clearRequests();
    const { second } = await walkTwoPages(walker);
    expect(await searchesReach(3)).toBe(3);

    expect(requestsFor(cursorOf(second))).toBe(1);

    // Another workspace's walk at the same cursor (the same request body, another token).
    const other = await createIntercomClient({ token: emu.issueToken() }).searchContacts(pageAfter(cursorOf(second)), fields, { readNext: true });
    expect(other.data).toHaveLength(10);
    expect(requestsFor(cursorOf(second))).toBe(2);
    // The same token with other mapped fields: reduced for those, so read again.
    await walker.searchContacts(pageAfter(cursorOf(second)), { attributes: ["custom_attributes.desk_count"] }, { readNext: true });
    expect(requestsFor(cursorOf(second))).toBe(3);
  });

  it("drops a page the walk did not ask for within the request timeout, and then asks Intercom", async () => {
    const walker = createIntercomClient({ token: emu.issueToken(), timeoutMs: 1_000 });
    emu.clearRequests();
    const { second } = await walkTwoPages(walker);
    expect(await searchesReach(3)).toBe(3);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(requestsFor(cursorOf(second))).toBe(1);
    await walker.searchContacts(pageAfter(cursorOf(second)), fields, { readNext: true });
    expect(requestsFor(cursorOf(second))).toBe(2);
  });

  // Intercom's answer to the early read was about that moment: a 5xx (or a 429 while the walk
  // waited for the window) must not become the walk's own answer.
  it("asks Intercom again for a page whose early read failed", async () => {
    const walker = createIntercomClient({ token: emu.issueToken() });
    await quiet();
    emu.clearRequests();
    emu.faults.inject({ status: 500, count: 1, after: 2, match: { method: "POST", pathPrefix: "/contacts/search" } });
    const { second } = await walkTwoPages(walker);
    expect(await searchesReach(3)).toBe(3);
    const third = await walker.searchContacts(pageAfter(cursorOf(second)), fields, { readNext: true });
    expect(third.data).toHaveLength(10);
    expect(emu.requests.filter((r) => r.path === "/contacts/search").map((r) => r.status)).toEqual([200, 200, 500, 200]);
  });

  it("reads nothing ahead when the page itself leaves the window at its reserve", async () => {
    // A window of 10 keeps 2 in reserve. The walk's first page leaves 9; then another client of
    // the workspace spends 6, so the second page's answer leaves 2: too few to spend one early.
    const tight = await startTestEmulator({ contactCount: 40, rateLimitPerWindow: 10 });
    try {
      // The emulator's windows are 10 s of its clock (the real one): start well inside one.
      if (Date.now() % 10_000 > 8_000) await new Promise((r) => setTimeout(r, 10_000 - (Date.now() % 10_000) + 50));
      useEmulatorHosts(tight);
      const walker = createIntercomClient({ token: tight.issueToken() });
      const first = await walker.searchContacts(paged, fields);
      expect(walker.rate.remaining).toBe(9);
      const other = createIntercomClient({ token: tight.issueToken() });
      for (let i = 0; i < 6; i++) await other.me();
      await walker.searchContacts(pageAfter(cursorOf(first)), fields, { readNext: true });
      expect(walker.rate.remaining).toBe(2);
      await new Promise((r) => setTimeout(r, 200));
      expect(searchesOf(tight)).toBe(2);
    } finally {
      useEmulatorHosts(emu);
      await tight.close();
    }
  });

  it("reads nothing ahead of the last page", async () => {
    const walker = createIntercomClient({ token: emu.issueToken() });
    emu.clearRequests();
    const first = await walker.searchContacts({ ...paged, pagination: { per_page: 30 } }, fields);
    const last = await walker.searchContacts({ ...paged, pagination: { per_page: 30, starting_after: cursorOf(first) } }, fields, { readNext: true });
    expect(last.pages?.next).toBeUndefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(searches()).toBe(2);
  });
});

describe("the worker thread and the process", () => {
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 10 });
  });

  afterAll(async () => {
    await emu.close();
  });

  // A cron script or CLI reading pages must neither hang on the thread after its work nor be let
  // to exit while a page is still in flight.
  it("keeps a script alive while a page is in flight, and lets it end once the page is read", async () => {
    emu.faults.hang({ ms: 500, count: 2, match: { method: "POST", pathPrefix: "/contacts/search" } });
    // Two pages in turn: between them no request is in flight, and the second must hold the process again.
    const script = `
      const { createIntercomClient } = await import("@/lib/intercom/client");
      const client = createIntercomClient({ token: process.env.TOKEN });
      const search = { query: { field: "updated_at", operator: ">", value: 0 }, pagination: { per_page: 50 } };
      for (const n of [1, 2]) console.log("page", n, (await client.searchContacts(search, { attributes: [] })).data.length);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: process.cwd(),
      env: { ...process.env, INTERCOM_API_URL: emu.url, TOKEN: emu.issueToken() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(output.trim()).toBe("page 1 10\npage 2 10");
    expect(code).toBe(0);
    // It ended on its own, well before the test would have given up on it.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe("one worker thread per process", () => {
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 5 });
    useEmulatorHosts(emu);
  });

  afterAll(async () => {
    await emu.close();
  });

  const threads = () => Number(/^Threads:\s+(\d+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1]);

  // Each route bundle of a Next build, and each hot reload, has its own copy of lib/intercom.
  it.runIf(process.platform === "linux")("is shared by every copy of the client module", async () => {
    const search = { query: { field: "updated_at", operator: ">", value: 0 }, pagination: { per_page: 50 } } as const;
    const first = await import("@/lib/intercom/client");
    await first.createIntercomClient({ token: emu.issueToken() }).searchContacts(search, fields);
    const before = threads();
    vi.resetModules();
    const second = await import("@/lib/intercom/client");
    expect(second.createIntercomClient).not.toBe(first.createIntercomClient);
    const page = await second.createIntercomClient({ token: emu.issueToken() }).searchContacts(search, fields);
    expect(page.data).toHaveLength(5);
    expect(threads()).toBe(before);
  });
});
