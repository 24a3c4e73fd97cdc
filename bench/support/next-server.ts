// Builds the app when there is no build yet, and runs `next start` as a child process.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = process.cwd();
const nextBin = createRequire(path.join(root, "package.json")).resolve("next/dist/bin/next");

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, ...args], { cwd: root, env, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next ${args[0]} exited with ${code}`))));
  });
}

/** `next build` when .next has no finished build (or when asked to). */
export async function ensureBuild(force: boolean, env: Record<string, string>) {
  if (!force && existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  console.log(force ? "Building the app (--build)..." : "No build in .next: building the app...");
  await run(["build"], { ...process.env, ...env });
}

export interface NextServer {
  url: string;
  /** The last lines the server printed (shown when something goes wrong). */
  output: string[];
  stop(): Promise<void>;
}

/** `nodeArgs` e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] to profile the server. */
export async function startNextServer(opts: { port: number; env: Record<string, string>; nodeArgs?: string[] }): Promise<NextServer> {
  const url = `http://127.0.0.1:${opts.port}`;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), nextBin, "start", "-p", String(opts.port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, ...opts.env, APP_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    output.splice(0, Math.max(0, output.length - 200));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const server = { url, output, stop: () => stopChild(child, exited) };
  try {
    await waitUntilServing(url, child);
  } catch (err) {
    await server.stop();
    throw new Error(`${(err as Error).message}\n${output.slice(-30).join("\n")}`);
  }
  return server;
}

async function waitUntilServing(url: string, child: ChildProcess) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    // The preflight answers without touching the database.
    const ok = await fetch(`${url}/api/widget/sessions`, { method: "OPTIONS" }).then((r) => r.status === 204, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("next start did not answer within 90 s");
}

async function stopChild(child: ChildProcess, exited: Promise<void>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}
