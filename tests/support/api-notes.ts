// The payloads recorded in ../shared/intercom/API-NOTES.md (real captures, and examples from the
// spec, the docs and the forum), read at test time like the OpenAPI file: never copied into the repo.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { INTERCOM_SPEC_PATH } from "./openapi-validator";

export const API_NOTES_PATH = path.join(path.dirname(INTERCOM_SPEC_PATH), "API-NOTES.md");

export const notesAvailable = (): boolean => existsSync(API_NOTES_PATH);

export interface RecordedPayload {
  /** The `###` heading the payload sits under, e.g. "3.1 Contact object". */
  section: string;
  body: unknown;
}

/**
 * Every fenced JSON block of the notes, and every inline JSON object, under the section heading it
 * belongs to; the few that elide parts (with comments or "...") do not parse and are left out.
 */
export function recordedPayloads(): RecordedPayload[] {
  const text = readFileSync(API_NOTES_PATH, "utf8");
  const out: RecordedPayload[] = [];
  let section = "";
  // The open fenced block, if any, and whether it is JSON (others are captures and code).
  let fence: { json: boolean; lines: string[] } | null = null;
  for (const line of text.split("\n")) {
    if (fence) {
      if (!line.startsWith("```")) fence.lines.push(line);
      else {
        if (fence.json) pushParsed(out, section, fence.lines.join("\n"));
        fence = null;
      }
      continue;
    }
    if (line.startsWith("### ")) section = line.slice(4).trim();
    else if (line.startsWith("```")) fence = { json: line.trim() === "```json", lines: [] };
    // Inline bodies, some after their status: `404 {"type":"error.list",...}`.
    else for (const inline of line.matchAll(/`(?:\d{3} )?(\{"[^`]*\})`/g)) pushParsed(out, section, inline[1]!);
  }
  return out;
}

/** The status, headers and body of the raw HTTP capture in a section (a fenced block with no language). */
export function recordedHttp(section: string): { status: number; headers: Record<string, string>; body: unknown } {
  const text = readFileSync(API_NOTES_PATH, "utf8");
  const start = text.indexOf(`### ${section}`);
  const end = text.indexOf("\n### ", start + 1);
  const within = start < 0 ? "" : text.slice(start, end < 0 ? undefined : end);
  const capture = within.match(/```\nHTTP\/1\.1 (\d{3})[^\n]*\n([\s\S]*?)\n\n([\s\S]*?)\n```/);
  if (!capture) throw new Error(`API-NOTES.md has no HTTP capture under "${section}"`);
  const headers = Object.fromEntries(
    capture[2]!.split("\n").map((h) => [h.slice(0, h.indexOf(":")).trim().toLowerCase(), h.slice(h.indexOf(":") + 1).trim()]),
  );
  return { status: Number(capture[1]), headers, body: JSON.parse(capture[3]!) };
}

function pushParsed(out: RecordedPayload[], section: string, raw: string) {
  const body = parsed(raw);
  if (body !== undefined) out.push({ section, body });
}

function parsed(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
