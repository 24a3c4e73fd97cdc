import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    // Fixed test secrets; DATABASE_URL passes through so the same suite runs on Postgres.
    env: {
      NODE_ENV: "test",
      AUTH_SECRET: "test-auth-secret-0123456789abcdef",
      ENCRYPTION_KEY: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      CRON_SECRET: "test-cron-secret-0123456789",
      PGLITE_DATA_DIR: "memory://",
      APP_URL: "http://127.0.0.1:3999",
      INTERCOM_CLIENT_ID: "holdfast-dev-client",
      INTERCOM_CLIENT_SECRET: "holdfast-dev-secret",
    },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["{lib,db,emulators,components,app}/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["tests/integration/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each worker holds its own in-memory PGlite (~0.6 GB); two fit this machine well.
          maxWorkers: 2,
        },
      },
    ],
  },
});
