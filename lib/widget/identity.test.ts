import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IDENTITY_CLOCK_SKEW_SECONDS, IDENTITY_MAX_AGE_SECONDS, identityAgeProblem, identityPayload, signIdentity, verifyIdentitySignature } from "./identity";

const secret = "whsec_test_secret_value";
const issuedAt = 1_764_806_400;

describe("identityPayload", () => {
  it("is the signing time and the trimmed, lowercased email when no external id is given", () => {
    expect(identityPayload({ email: "  Dana@Example.COM ", issuedAt })).toBe(`${issuedAt}:dana@example.com`);
  });

  it("appends ':<externalId>' when an external id is given", () => {
    expect(identityPayload({ email: "dana@example.com", externalId: "cus_42", issuedAt })).toBe(`${issuedAt}:dana@example.com:cus_42`);
  });
});

describe("verifyIdentitySignature", () => {
  it("accepts the documented recipe computed independently with node:crypto", () => {
    const signature = createHmac("sha256", secret).update(`${issuedAt}:dana@example.com:cus_42`).digest("hex");
    expect(verifyIdentitySignature(secret, { email: "Dana@example.com", externalId: "cus_42", issuedAt }, signature)).toBe(true);
  });

  it("accepts upper-case hex", () => {
    const signature = signIdentity(secret, { email: "dana@example.com", issuedAt }).toUpperCase();
    expect(verifyIdentitySignature(secret, { email: "dana@example.com", issuedAt }, signature)).toBe(true);
  });

  it("refuses a signature for another email, external id, signing time or secret", () => {
    const signature = signIdentity(secret, { email: "dana@example.com", externalId: "cus_42", issuedAt });
    expect(verifyIdentitySignature(secret, { email: "eve@example.com", externalId: "cus_42", issuedAt }, signature)).toBe(false);
    expect(verifyIdentitySignature(secret, { email: "dana@example.com", externalId: "cus_43", issuedAt }, signature)).toBe(false);
    expect(verifyIdentitySignature(secret, { email: "dana@example.com", issuedAt }, signature)).toBe(false);
    // A captured signature cannot be made fresh by changing its time.
    expect(verifyIdentitySignature(secret, { email: "dana@example.com", externalId: "cus_42", issuedAt: issuedAt + 3600 }, signature)).toBe(false);
    expect(verifyIdentitySignature("other-secret", { email: "dana@example.com", externalId: "cus_42", issuedAt }, signature)).toBe(false);
  });

  it("refuses malformed signatures without throwing", () => {
    for (const bad of ["", "abc", "zz".repeat(32), "a".repeat(63), "a".repeat(65)]) {
      expect(verifyIdentitySignature(secret, { email: "dana@example.com", issuedAt }, bad)).toBe(false);
    }
  });
});

describe("identityAgeProblem", () => {
  it("accepts an identity up to 24 hours old and a few minutes early", () => {
    expect(identityAgeProblem(issuedAt, issuedAt)).toBeNull();
    expect(identityAgeProblem(issuedAt, issuedAt + IDENTITY_MAX_AGE_SECONDS)).toBeNull();
    expect(identityAgeProblem(issuedAt + IDENTITY_CLOCK_SKEW_SECONDS, issuedAt)).toBeNull();
  });

  it("refuses a replay after 24 hours, and a time in milliseconds or otherwise in the future", () => {
    expect(identityAgeProblem(issuedAt, issuedAt + IDENTITY_MAX_AGE_SECONDS + 1)).toMatch(/expired/);
    expect(identityAgeProblem(issuedAt * 1000, issuedAt)).toMatch(/future.*not milliseconds/);
    expect(identityAgeProblem(issuedAt + IDENTITY_CLOCK_SKEW_SECONDS + 1, issuedAt)).toMatch(/future/);
  });
});
