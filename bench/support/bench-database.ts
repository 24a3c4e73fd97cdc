// A database of the bench's own for each run: a fresh PGlite folder, or, when DATABASE_URL is
// set, a fresh database on that server (a shared one may hold connected accounts whose cron
// work would pollute the measurement).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface BenchDatabase {
  kind: "pglite" | "postgres";
  /** DATABASE_URL or PGLITE_DATA_DIR, for this process and the server. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export async function prepareBenchDatabase(baseUrl: string | undefined): Promise<BenchDatabase> {
  if (!baseUrl) {
    const folder = mkdtempSync(path.join(tmpdir(), "holdfast-bench-"));
    return {
      kind: "pglite",
      env: { PGLITE_DATA_DIR: path.join(folder, "pglite"), DATABASE_URL: "" },
      dispose: async () => rmSync(folder, { recursive: true, force: true }),
    };
  }
  const { default: postgres } = await import("postgres");
  const name = `holdfast_bench_${randomBytes(5).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    env: { DATABASE_URL: url.toString() },
    dispose: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
