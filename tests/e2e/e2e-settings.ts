// Shared by playwright.config.ts (which starts the servers) and the specs (which talk to them), so
// ports and secrets are written once.
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

const appPort = Number(process.env.E2E_APP_PORT ?? 3510);
const emulatorPort = Number(process.env.E2E_EMULATOR_PORT ?? 4510);

export const e2eUrls = {
  app: `http://127.0.0.1:${appPort}`,
  emulator: `http://127.0.0.1:${emulatorPort}`,
};
export const e2ePorts = { app: appPort, emulator: emulatorPort };

// The app runs under `next start`, which is production and refuses fixed, published secrets, so
// each run makes its own. Like the database folder below, the first evaluation of this file picks
// them and leaves them in the environment, where the workers that evaluate it again find them.
const runSecret = (name: string, encoding: "base64url" | "hex" = "base64url") =>
  (process.env[name] ??= randomBytes(32).toString(encoding));

export const e2eCronSecret = runSecret("E2E_CRON_SECRET");
export const e2eIntercomClientSecret = runSecret("E2E_INTERCOM_CLIENT_SECRET");

// The config is evaluated by the runner and again by each worker; the first evaluation picks the
// folder and leaves it in the environment the workers inherit. It lives in test-results/, which
// Playwright empties before starting the servers, and its name carries a timestamp, so a run never
// starts on an earlier run's data even when E2E_RUN_ID or a pid is reused.
process.env.E2E_PGLITE_DIR ??= fileURLToPath(
  new URL(`../../test-results/pglite-${process.env.E2E_RUN_ID ?? process.pid}-${Date.now().toString(36)}`, import.meta.url),
);

/** Environment of the app under test: its own secrets, the emulator as Intercom, a fresh database. */
export const appEnv: Record<string, string> = {
  APP_URL: e2eUrls.app,
  AUTH_SECRET: runSecret("E2E_AUTH_SECRET"),
  ENCRYPTION_KEY: runSecret("E2E_ENCRYPTION_KEY", "hex"),
  CRON_SECRET: e2eCronSecret,
  INTERCOM_CLIENT_ID: "holdfast-dev-client",
  INTERCOM_CLIENT_SECRET: e2eIntercomClientSecret,
  INTERCOM_API_URL: e2eUrls.emulator,
  INTERCOM_APP_URL: e2eUrls.emulator,
  PGLITE_DATA_DIR: process.env.E2E_PGLITE_DIR,
  LOCAL_CRON: "off",
  // Empty (not absent) so that a DATABASE_URL in a developer's .env.local cannot slip into the
  // embedded-database run: Next's env loading never overrides a variable that is already set.
  DATABASE_URL: process.env.DATABASE_URL ?? "",
};
