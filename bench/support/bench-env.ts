// Settings shared by the bench process and the `next start` it launches: both sides must agree
// on the secrets (session tokens, encrypted Intercom token). Made fresh for each run, because
// production refuses fixed, published ones, and each run has a database of its own.
import { randomBytes } from "node:crypto";

const runSecret = () => randomBytes(32).toString("base64url");

export const BENCH_ENV = {
  NODE_ENV: "production",
  AUTH_SECRET: runSecret(),
  ENCRYPTION_KEY: randomBytes(32).toString("hex"),
  CRON_SECRET: runSecret(),
  INTERCOM_CLIENT_ID: "holdfast-dev-client",
  // Emulators that sign or check with it are started with this one (see bench/webhooks.ts).
  INTERCOM_CLIENT_SECRET: runSecret(),
  // The bench drives the cron itself, so the drain is measured and not raced by a timer.
  LOCAL_CRON: "off",
  NEXT_TELEMETRY_DISABLED: "1",
} as const;

/** Applies the bench settings to this process before any lib module reads env(). */
export function applyBenchEnv(extra: Record<string, string>) {
  Object.assign(process.env, BENCH_ENV, extra);
}
