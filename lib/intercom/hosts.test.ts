import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { contactDeepLink, parseRegion } from "./hosts";

describe("contactDeepLink", () => {
  const saved = process.env.INTERCOM_APP_URL;
  beforeEach(() => {
    delete process.env.INTERCOM_APP_URL;
    resetEnvCache();
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.INTERCOM_APP_URL;
    else process.env.INTERCOM_APP_URL = saved;
    resetEnvCache();
  });

  it.each([
    ["US", "https://app.intercom.com"],
    ["EU", "https://app.eu.intercom.com"],
    ["AU", "https://app.au.intercom.com"],
  ] as const)("opens the %s workspace on its own app host", (region, host) => {
    expect(contactDeepLink(region, "abc123", "65f0c1")).toBe(`${host}/a/apps/abc123/users/65f0c1/all-conversations`);
  });

  it("treats an unknown or missing region as US, as Intercom does", () => {
    expect(contactDeepLink(parseRegion(null), "abc123", "c1")).toBe("https://app.intercom.com/a/apps/abc123/users/c1/all-conversations");
    expect(contactDeepLink(parseRegion("eu"), "abc123", "c1")).toBe("https://app.eu.intercom.com/a/apps/abc123/users/c1/all-conversations");
  });

  it("uses INTERCOM_APP_URL for every region when set, without a doubled slash", () => {
    process.env.INTERCOM_APP_URL = "http://127.0.0.1:4010/";
    resetEnvCache();
    expect(contactDeepLink("EU", "ws_1", "c1")).toBe("http://127.0.0.1:4010/a/apps/ws_1/users/c1/all-conversations");
  });

  it("URL-encodes ids so a strange id cannot change the path", () => {
    expect(contactDeepLink("US", "ws/1", "c 1?x")).toBe("https://app.intercom.com/a/apps/ws%2F1/users/c%201%3Fx/all-conversations");
  });
});
