// Shared plumbing for the public widget endpoints: CORS for any embedding site, capped bodies.
import { readCappedBody } from "@/lib/http/read-capped-body";

/** Widget requests carry no cookies, so reflecting the caller's origin grants nothing extra. */
export function corsHeaders(req: Request): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": req.headers.get("origin") ?? "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
    Vary: "Origin",
  };
}

export function widgetJson(req: Request, status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { ...corsHeaders(req), "Cache-Control": "no-store" } });
}

export function widgetPreflight(req: Request): Response {
  return new Response(null, { status: 204, headers: corsHeaders(req) });
}

export const MAX_WIDGET_BODY_BYTES = 16 * 1024;

export type BodyResult = { ok: true; body: unknown } | { ok: false; status: 400 | 413 | 415; error: string };

/**
 * Reads at most `limit` bytes of a body declared as JSON: a form or text/plain post (which
 * browsers send without a CORS preflight) is refused even when its text happens to parse.
 */
export async function readJsonBody(req: Request, limit = MAX_WIDGET_BODY_BYTES): Promise<BodyResult> {
  const mediaType = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json") {
    return { ok: false, status: 415, error: "Content-Type must be application/json." };
  }
  const read = await readCappedBody(req, limit);
  if (!read.ok) return read;
  try {
    return { ok: true, body: JSON.parse(read.bytes.toString("utf8")) };
  } catch {
    return { ok: false, status: 400, error: "Request body must be JSON." };
  }
}
