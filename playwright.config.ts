import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const appPort = Number(process.env.E2E_APP_PORT ?? 3510);
const emulatorPort = Number(process.env.E2E_EMULATOR_PORT ?? 4510);
export const e2eUrls = {
  app: `http://127.0.0.1:${appPort}`,
  emulator: `http://127.0.0.1:${emulatorPort}`,
};

// The app under test gets its own settings and, without DATABASE_URL, a fresh embedded database.
const appEnv = {
  APP_URL: e2eUrls.app,
  AUTH_SECRET: "e2e-auth-secret-0123456789abcdef",
  ENCRYPTION_KEY: "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
  CRON_SECRET: "e2e-cron-secret-0123456789",
  INTERCOM_CLIENT_ID: "holdfast-dev-client",
  INTERCOM_CLIENT_SECRET: "holdfast-dev-secret",
  INTERCOM_API_URL: e2eUrls.emulator,
  INTERCOM_APP_URL: e2eUrls.emulator,
  PGLITE_DATA_DIR: path.join(os.tmpdir(), `holdfast-e2e-${process.env.E2E_RUN_ID ?? process.pid}`),
  LOCAL_CRON: "off",
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
};

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 180_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"], ["html", { open: "never" }]],
  outputDir: "test-results",
  use: {
    baseURL: e2eUrls.app,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      command: `npx tsx emulators/intercom/cli.ts --port ${emulatorPort} --seed 1 --contacts 500`,
      url: `${e2eUrls.emulator}/_emulator/state`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `node node_modules/next/dist/bin/next start -p ${appPort} -H 127.0.0.1`,
      url: `${e2eUrls.app}/sign-in`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: appEnv,
    },
  ],
});
