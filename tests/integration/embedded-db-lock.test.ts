import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { claimDataDir } from "@/db/client";

describe("embedded database folder ownership", () => {
  it("refuses a second process with a clear error while the owner lives, then allows it", async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "holdfast-lock-")), "pglite");
    // A real other process takes the folder.
    const owner = spawn(process.execPath, [
      "-e",
      `require("fs").writeFileSync(${JSON.stringify(`${dir}.lock`)}, String(process.pid)); setInterval(() => {}, 1000)`,
    ]);
    // Wait for the owner to have written its lock (slow under load), not for a fixed time.
    for (let i = 0; i < 200 && !existsSync(`${dir}.lock`); i++) await new Promise((r) => setTimeout(r, 50));
    try {
      expect(() => claimDataDir(dir)).toThrow(/already in use by process \d+.*DATABASE_URL/s);
    } finally {
      owner.kill();
      await new Promise((r) => owner.once("exit", r));
    }
    // A lock left by a process that died is stale and taken over.
    const release = claimDataDir(dir);
    release();
  });
});
