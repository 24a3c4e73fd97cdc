import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./encryption";

describe("secrets at rest", () => {
  it("round-trips and never stores the plain text", () => {
    const stored = encryptSecret("tok_live_abc123");
    expect(stored).not.toContain("tok_live_abc123");
    expect(decryptSecret(stored)).toBe("tok_live_abc123");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same")).not.toBe(encryptSecret("same"));
  });

  it("refuses a tampered value instead of returning garbage", () => {
    const [v, iv, tag, body] = encryptSecret("tok_live_abc123").split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptSecret([v, iv, tag, flipped.toString("base64url")].join("."))).toThrow();
  });
});
