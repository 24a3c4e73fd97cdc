import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "./env";

const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

describe("env", () => {
  it("lists every missing secret in one readable error", () => {
    delete process.env.AUTH_SECRET;
    delete process.env.CRON_SECRET;
    process.env.ENCRYPTION_KEY = "too-short";
    resetEnvCache();
    expect(() => env()).toThrow(/AUTH_SECRET[\s\S]*ENCRYPTION_KEY[\s\S]*CRON_SECRET/);
  });

  it("defaults to the embedded database and real Intercom hosts", () => {
    delete process.env.DATABASE_URL;
    delete process.env.INTERCOM_API_URL;
    resetEnvCache();
    expect(env().DATABASE_URL).toBeUndefined();
    expect(env().INTERCOM_API_URL).toBeUndefined();
  });

  it("accepts a 64-hex or base64 32-byte encryption key", () => {
    process.env.ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
    resetEnvCache();
    expect(() => env()).not.toThrow();
  });
});

describe("env in production", () => {
  const random = () => randomBytes(32).toString("base64");
  const production = (values: Record<string, string>) => {
    process.env = { ...saved, NODE_ENV: "production", ...values };
    resetEnvCache();
    return () => env();
  };
  const strong = () => ({ AUTH_SECRET: random(), CRON_SECRET: random(), ENCRYPTION_KEY: random(), INTERCOM_CLIENT_SECRET: random() });

  it("refuses the secrets .env.example ships with, saying how to make real ones", () => {
    const example = parseEnvFile(readFileSync(new URL("../.env.example", import.meta.url), "utf8"));
    const start = production({ ...example, ENCRYPTION_KEY: random() });
    expect(start).toThrow(/AUTH_SECRET is a placeholder: generate one with `openssl rand -base64 32`/);
    expect(start).toThrow(/CRON_SECRET is a placeholder/);
    expect(start).toThrow(/INTERCOM_CLIENT_SECRET is a placeholder: use your Intercom app's client secret/);
  });

  it("refuses short, repetitive or patterned secrets", () => {
    expect(production({ ...strong(), AUTH_SECRET: "s3cr3t-but-only-24-chars" })).toThrow(/AUTH_SECRET is too short \(24 characters; at least 32\)/);
    expect(production({ ...strong(), CRON_SECRET: "ab".repeat(20) })).toThrow(/CRON_SECRET is too repetitive/);
    expect(production({ ...strong(), ENCRYPTION_KEY: "0123456789abcdef".repeat(4) })).toThrow(/ENCRYPTION_KEY is a patterned key/);
    expect(production({ ...strong(), ENCRYPTION_KEY: "" })).toThrow(/ENCRYPTION_KEY must be 32 bytes.*openssl rand -base64 32/);
  });

  it("starts with random secrets, and with Intercom not configured yet", () => {
    expect(production(strong())).not.toThrow();
    const { INTERCOM_CLIENT_SECRET: _, ...withoutIntercom } = strong();
    const unconfigured = production(withoutIntercom);
    delete process.env.INTERCOM_CLIENT_SECRET;
    expect(unconfigured).not.toThrow();
  });

  it("accepts what the e2e run and the benchmarks give their production server", async () => {
    const { appEnv } = await import("@/tests/e2e/e2e-settings");
    const { BENCH_ENV } = await import("@/bench/support/bench-env");
    expect(production(appEnv)).not.toThrow();
    expect(production(BENCH_ENV)).not.toThrow();
  });

  it("refuses alert webhooks to private networks unless ALERT_WEBHOOK_ALLOW_PRIVATE=true", () => {
    expect(production(strong())().ALERT_WEBHOOK_ALLOW_PRIVATE).toBe(false);
    expect(production({ ...strong(), ALERT_WEBHOOK_ALLOW_PRIVATE: "true" })().ALERT_WEBHOOK_ALLOW_PRIVATE).toBe(true);
    expect(production({ ...strong(), ALERT_WEBHOOK_ALLOW_PRIVATE: "yes" })).toThrow(/ALERT_WEBHOOK_ALLOW_PRIVATE must be true or false/);
  });

  it("prepares the sync's statements unless DATABASE_PREPARED_STATEMENTS=off", () => {
    expect(production(strong())().DATABASE_PREPARED_STATEMENTS).toBe(true);
    expect(production({ ...strong(), DATABASE_PREPARED_STATEMENTS: "" })().DATABASE_PREPARED_STATEMENTS).toBe(true);
    expect(production({ ...strong(), DATABASE_PREPARED_STATEMENTS: "off" })().DATABASE_PREPARED_STATEMENTS).toBe(false);
    expect(production({ ...strong(), DATABASE_PREPARED_STATEMENTS: "no" })).toThrow(/DATABASE_PREPARED_STATEMENTS must be on or off/);
  });

  it("leaves development and the demo free to use the .env.example values", () => {
    const example = parseEnvFile(readFileSync(new URL("../.env.example", import.meta.url), "utf8"));
    process.env = { ...saved, ...example, NODE_ENV: "development", ENCRYPTION_KEY: "0123456789abcdef".repeat(4) };
    resetEnvCache();
    expect(env().AUTH_SECRET).toBe("change-me-to-a-long-random-string");
  });
});

function parseEnvFile(text: string): Record<string, string> {
  const entries = text.split("\n").flatMap((line) => {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    return match ? [[match[1]!, match[2]!] as const] : [];
  });
  return Object.fromEntries(entries);
}
