import { describe, expect, it } from "vitest";
import { corsHeaders, readJsonBody } from "./http";

const post = (body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("http://app.test/api/widget/sessions", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readJsonBody", () => {
  it("parses a small JSON body", async () => {
    expect(await readJsonBody(post(JSON.stringify({ a: 1 })))).toEqual({ ok: true, body: { a: 1 } });
  });

  it("answers 413 for a body over the limit even without a Content-Length", async () => {
    const big = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(10_000).fill(32));
        c.enqueue(new Uint8Array(10_000).fill(32));
        c.close();
      },
    });
    const result = await readJsonBody(post(big), 16 * 1024);
    expect(result).toMatchObject({ ok: false, status: 413 });
  });

  it("answers 415 for a body not declared as JSON, even when it parses", async () => {
    expect(await readJsonBody(post("{}", { "content-type": "text/plain" }))).toMatchObject({ ok: false, status: 415 });
    expect(await readJsonBody(post("{}", {}))).toMatchObject({ ok: false, status: 415 });
    expect(await readJsonBody(post("{}", { "content-type": "Application/JSON; charset=utf-8" }))).toEqual({ ok: true, body: {} });
  });

  it("answers 400 for a body that is not JSON", async () => {
    expect(await readJsonBody(post("email=dana"))).toMatchObject({ ok: false, status: 400 });
  });
});

describe("corsHeaders", () => {
  it("reflects the embedding site's origin", () => {
    const req = new Request("http://app.test/x", { headers: { origin: "https://acme.example" } });
    expect(corsHeaders(req)["Access-Control-Allow-Origin"]).toBe("https://acme.example");
  });
});
