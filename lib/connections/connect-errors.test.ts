import { describe, expect, it } from "vitest";
import { connectErrorCodeSchema, connectErrorMessages, connectErrorNotice } from "./connect-errors";

describe("connectErrorNotice", () => {
  it("never repeats the title as the message", () => {
    for (const code of connectErrorCodeSchema.options) {
      const { title, message } = connectErrorMessages[code];
      expect(message.startsWith(title), code).toBe(false);
    }
  });

  it("says an existing connection is unchanged, or what to do without one", () => {
    expect(connectErrorNotice("bad_code", { status: "connected", workspaceName: "Acme Demo" })).toEqual({
      title: "Intercom rejected the authorization code",
      message:
        "The one-time code from Intercom's consent page was refused, usually because it expired or was already used. Your existing connection to Acme Demo is unchanged.",
    });
    expect(connectErrorNotice("denied", { status: "reconnect_required", workspaceName: "Acme Demo" }).message).toMatch(
      /Acme Demo still needs reconnecting: try “Reconnect Intercom” again\.$/,
    );
    expect(connectErrorNotice("denied", null).message).toMatch(/Nothing was connected\. Try again with “Connect Intercom”\.$/);
  });

  it("treats an unknown code as unexpected", () => {
    expect(connectErrorNotice("<script>", null).title).toBe("Something went wrong while connecting");
  });
});
