import { describe, expect, it } from "vitest";
import { issueSessionToken, verifySessionToken } from "./session-token";

describe("session tokens", () => {
  const id = "5b0e7a8e-3f56-4c1e-9d0a-2f1d2a3b4c5d";

  it("verifies a token minted for the same session", () => {
    expect(verifySessionToken(id, issueSessionToken(id))).toBe(true);
  });

  it("refuses a token minted for another session, a truncated token and garbage", () => {
    const other = issueSessionToken("0f6b8c1e-1111-4c1e-9d0a-2f1d2a3b4c5d");
    expect(verifySessionToken(id, other)).toBe(false);
    expect(verifySessionToken(id, issueSessionToken(id).slice(0, -1))).toBe(false);
    expect(verifySessionToken(id, "not-a-token")).toBe(false);
  });
});
