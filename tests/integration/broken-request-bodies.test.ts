import { describe, expect, it } from "vitest";
import { POST as answerPOST } from "@/app/api/widget/sessions/[id]/answers/route";
import { POST as completePOST } from "@/app/api/widget/sessions/[id]/complete/route";
import { POST as sessionsPOST } from "@/app/api/widget/sessions/route";
import { POST as uninstallPOST } from "@/app/api/webhooks/intercom/uninstall/route";
import { POST as webhookPOST } from "@/app/api/webhooks/intercom/route";
import { setupTestDb } from "../support/db";

/**
 * What a route handler gets when the client aborts mid-upload (or a proxy cuts the body): a
 * stream that yields a few bytes, then errors. Every public endpoint must answer a 4xx for it.
 */
function abortedBody(): ReadableStream<Uint8Array> {
  let sentFirstChunk = false;
  return new ReadableStream({
    pull(controller) {
      if (sentFirstChunk) return controller.error(new Error("aborted"));
      sentFirstChunk = true;
      controller.enqueue(new TextEncoder().encode('{"sessionToken":"'));
    },
  });
}

const brokenRequest = (path: string) =>
  new Request(`http://holdfast.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "https://acme.example" },
    body: abortedBody(),
    duplex: "half",
  } as RequestInit);

const session = { params: Promise.resolve({ id: "6f1c1a52-3f38-4b59-9d0b-2f0f5b2f6a11" }) };

describe("public endpoints answer a broken request body with 400, never 500", () => {
  setupTestDb();

  const endpoints: Array<[string, () => Promise<Response>]> = [
    ["POST /api/widget/sessions", () => sessionsPOST(brokenRequest("/api/widget/sessions"))],
    ["POST /api/widget/sessions/{id}/answers", () => answerPOST(brokenRequest("/api/widget/sessions/x/answers"), session)],
    ["POST /api/widget/sessions/{id}/complete", () => completePOST(brokenRequest("/api/widget/sessions/x/complete"), session)],
    ["POST /api/webhooks/intercom", () => webhookPOST(brokenRequest("/api/webhooks/intercom"))],
    ["POST /api/webhooks/intercom/uninstall", () => uninstallPOST(brokenRequest("/api/webhooks/intercom/uninstall"))],
  ];

  for (const [name, call] of endpoints) {
    it(name, async () => {
      const res = await call();
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/could not be read/i);
    });
  }
});
