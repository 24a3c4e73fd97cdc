// Test harness for the Intercom emulator: start one per file, call it over real HTTP.

import { afterAll, beforeAll } from "vitest";
import { startIntercomEmulator, type EmulatorOptions, type RunningEmulator } from "@/emulators/intercom/server";

export interface ApiResult<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, otherwise the raw text. */
  body: T;
  text: string;
}

export interface CallOptions {
  method?: string;
  token?: string | null;
  body?: unknown;
  /** Sent as-is instead of JSON (e.g. a form-encoded body). */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Starts an emulator before the file's tests and closes it after; returns a getter. */
export function useIntercomEmulator(opts: EmulatorOptions = {}): () => RunningEmulator {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startIntercomEmulator(opts);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error("emulator not started: call inside a test or hook");
    return emulator;
  };
}

export async function callEmulator<T = unknown>(
  emulator: RunningEmulator,
  path: string,
  options: CallOptions = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Intercom-Version": "2.16",
    ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
    ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
    ...options.headers,
  };
  const res = await fetch(`${emulator.url}${path}`, {
    method: options.method ?? (options.body !== undefined || options.rawBody !== undefined ? "POST" : "GET"),
    headers,
    body: options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    redirect: "manual",
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("application/json")) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: body as T, text };
}
