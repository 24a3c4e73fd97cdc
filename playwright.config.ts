import { defineConfig } from "@playwright/test";
import { appEnv, e2eIntercomClientSecret, e2ePorts, e2eUrls } from "./tests/e2e/e2e-settings";

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
    viewport: { width: 1280, height: 800 },
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
  // `node <bin>` rather than npx: stopping npx would leave its child server running.
  webServer: [
    {
      command: `node node_modules/tsx/dist/cli.mjs emulators/intercom/cli.ts --port ${e2ePorts.emulator} --seed 1 --contacts 500 --client-secret=${e2eIntercomClientSecret}`,
      url: `${e2eUrls.emulator}/_emulator/state`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `node node_modules/next/dist/bin/next start -p ${e2ePorts.app} -H 127.0.0.1`,
      url: `${e2eUrls.app}/sign-in`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: appEnv,
    },
  ],
});
