// The Intercom emulator in a child process (its own CLI), so the bench process's RSS is the
// app's alone, plus the few control calls the sync bench needs.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { freePort } from "./free-port";

export interface EmulatorWorkspace {
  id: string;
  name: string;
  region: string;
  timezone: string;
}

export interface ChildEmulator {
  url: string;
  pid: number;
  startMs: number;
  control<T>(method: string, route: string, body?: unknown): Promise<T>;
  /** Resident set of the emulator process (Linux /proc), in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

/**
 * `rate` lifts the emulator's request limit: the floors measure serving, not throttling.
 * `nodeArgs` e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] to profile the emulator.
 */
export async function startChildEmulator(opts: { contacts: number; rate: number; nodeArgs?: string[] }): Promise<ChildEmulator> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), "--import", "tsx", path.join("emulators", "intercom", "cli.ts"), "--port", String(port), "--contacts", String(opts.contacts), "--rate", String(opts.rate)],
    { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] },
  );
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start within 120 s\n${output.join("")}`)), 120_000);
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")));
    child.stdout?.on("data", (chunk: Buffer) => {
      output.push(chunk.toString("utf8"));
      if (output.join("").includes(" control ")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}\n${output.join("")}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid!,
    startMs: Date.now() - started,
    control: (method, route, body) => controlCall(url, method, route, body),
    rss: () => processRss(child.pid!),
    stop: () => stopChild(child, exited),
  };
}

// A connection per call (no keep-alive): between phases the emulator closes idle sockets, and a
// pooled one can die just as a control request goes out on it.
function controlCall<T>(url: string, method: string, route: string, body?: unknown): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/_emulator${route}`,
      { method, agent: false, headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((res.statusCode ?? 0) >= 400) reject(new Error(`emulator ${method} ${route}: ${res.statusCode} ${text}`));
          else resolve((text ? JSON.parse(text) : null) as T);
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

function processRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

async function stopChild(child: ChildProcess, exited: Promise<void>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
