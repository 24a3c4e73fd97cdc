import type { IncomingHttpHeaders } from "node:http";
import type { ParsedBody } from "./http-io";

export interface Incoming {
  method: string;
  path: string;
  query: URLSearchParams;
  body: ParsedBody;
  headers: IncomingHttpHeaders;
  requestId: string;
  /** The Bearer token, once the API pipeline has accepted it. */
  token?: string;
}

export type Reply =
  | { kind: "json"; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: "html"; status: number; html: string; headers?: Record<string, string> }
  | { kind: "redirect"; location: string };

export const json = (body: unknown, status = 200, headers?: Record<string, string>): Reply => ({
  kind: "json",
  status,
  body,
  ...(headers ? { headers } : {}),
});

export const html = (markup: string, status = 200): Reply => ({ kind: "html", status, html: markup });

export const redirect = (location: string): Reply => ({ kind: "redirect", location });

/** The JSON body, or an empty object for an empty body; form bodies are flattened to strings. */
export function bodyObject(body: ParsedBody): unknown {
  switch (body.kind) {
    case "empty":
      return {};
    case "json":
    case "form":
      return body.value;
    case "invalid":
      return undefined;
  }
}
