import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { identityPayload, signIdentity, verifyIdentitySignature } from "./identity";

const secret = "whsec_test_secret_value";

describe("identityPayload", () => {
  it("is the trimmed, lowercased email when no external id is given", () => {
    expect(identityPayload({ email: "  Dana@Example.COM " })).toBe("dana@example.com");
  });

  it("appends ':<externalId>' when an external id is given", () => {
    expect(identityPayload({ email: "dana@example.com", externalId: "cus_42" })).toBe("dana@example.com:cus_42");
  });
});

describe("verifyIdentitySignature", () => {
  it("accepts the documented recipe computed independently with node:crypto", () => {
    const signature = createHmac("sha256", secret).update("dana@example.com:cus_42").digest("hex");
    expect(verifyIdentitySignature(secret, { email: "Dana@example.com", externalId: "cus_42" }, signature)).toBe(true);
  });

  it("accepts upper-case hex", () => {
    const signature = signIdentity(secret, { email: "dana@example.com" }).toUpperCase();
    expect(verifyIdentitySignature(secret, { email: "dana@example.com" }, signature)).toBe(true);
  });

  it("refuses a signature for another email, another external id or another secret", () => {
    const signature = signIdentity(secret, { email: "dana@example.com", externalId: "cus_42" });
    expect(verifyIdentitySignature(secret, { email: "eve@example.com", externalId: "cus_42" }, signature)).toBe(false);
    expect(verifyIdentitySignature(secret, { email: "dana@example.com", externalId: "cus_43" }, signature)).toBe(false);
    expect(verifyIdentitySignature(secret, { email: "dana@example.com" }, signature)).toBe(false);
    expect(verifyIdentitySignature("other-secret", { email: "dana@example.com", externalId: "cus_42" }, signature)).toBe(false);
  });

  it("refuses malformed signatures without throwing", () => {
    for (const bad of ["", "abc", "zz".repeat(32), "a".repeat(63), "a".repeat(65)]) {
      expect(verifyIdentitySignature(secret, { email: "dana@example.com" }, bad)).toBe(false);
    }
  });
});
