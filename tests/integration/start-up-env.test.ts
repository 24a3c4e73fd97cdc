// What `npm start` does with a missing or unusable setting: the server's register() hook
// (instrumentation.ts) runs before it serves anything, and must stop the process with the reason
// instead of leaving a server that answers every request with a 500.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;

// What the Next.js server does with the hook: an error thrown by register() is logged ("Failed to
// prepare server") and the server goes on listening, answering 500 to every request.
const NEXT_START = `
  const { register } = await import("./instrumentation.ts");
  try { await register(); } catch (err) { console.error("Failed to prepare server", err); }
  console.log("Ready");
  setTimeout(() => {}, 1500);
`;

/** Runs instrumentation.ts's register() as `next start` does, in a process of its own. */
function startServer(settings: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { PATH, HOME } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", NEXT_START], {
    cwd: root,
    env: { PATH, HOME, NEXT_RUNTIME: "nodejs", NODE_ENV: "production", LOCAL_CRON: "off", ...settings },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

const random = () => randomBytes(32).toString("base64");

describe("start-up with an invalid environment", () => {
  it("exits non-zero with the list of missing settings when there is no .env.local", async () => {
    const { code, output } = await startServer({});
    expect(code).toBe(1);
    expect(output).toContain("Invalid environment (see .env.example)");
    expect(output).toMatch(/AUTH_SECRET is required[\s\S]*ENCRYPTION_KEY is required[\s\S]*CRON_SECRET is required/);
    expect(output).not.toContain("Ready");
  });

  it("exits non-zero when ENCRYPTION_KEY is empty", async () => {
    const { code, output } = await startServer({ AUTH_SECRET: random(), CRON_SECRET: random(), ENCRYPTION_KEY: "" });
    expect(code).toBe(1);
    expect(output).toContain("ENCRYPTION_KEY must be 32 bytes");
  });

  it("carries on with a valid environment", async () => {
    const { code, output } = await startServer({ AUTH_SECRET: random(), CRON_SECRET: random(), ENCRYPTION_KEY: random() });
    expect(output).toContain("Ready");
    expect(code).toBe(0);
  });
});
