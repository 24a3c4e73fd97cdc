import type { IncomingMessage, ServerResponse } from "node:http";

const MAX_BODY_BYTES = 1_000_000;

export async function readRawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export type ParsedBody =
  | { kind: "empty" }
  | { kind: "json"; value: unknown }
  | { kind: "form"; value: Record<string, string> }
  | { kind: "invalid"; raw: string };

/** Parses by Content-Type, falling back to sniffing: clients disagree on how they send OAuth bodies. */
export function parseBody(raw: string, contentType: string | undefined): ParsedBody {
  if (raw.trim() === "") return { kind: "empty" };
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("application/x-www-form-urlencoded")) {
    return { kind: "form", value: Object.fromEntries(new URLSearchParams(raw)) };
  }
  try {
    return { kind: "json", value: JSON.parse(raw) as unknown };
  } catch {
    if (!type.includes("json") && raw.includes("=")) {
      return { kind: "form", value: Object.fromEntries(new URLSearchParams(raw)) };
    }
    return { kind: "invalid", raw };
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, JSON.stringify(body), "application/json; charset=utf-8", headers);
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  send(res, status, html, "text/html; charset=utf-8", headers);
}

export function sendRedirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  send(res, 302, "", "text/plain; charset=utf-8", { ...headers, Location: location });
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string>,
): void {
  // A client that timed out and hung up must not crash the emulator.
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    ...headers,
    "Content-Type": contentType,
    "Content-Length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
