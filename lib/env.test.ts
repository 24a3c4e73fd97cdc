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
