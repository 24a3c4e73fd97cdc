import { describe, expect, it } from "vitest";
import { customerMessage } from "./customer-message";
import { WidgetApiError } from "./widget-api";

describe("customerMessage", () => {
  it("never shows the developer's error text to the customer", () => {
    for (const [status, detail] of [
      [401, "Unknown publicKey: copy it again from Holdfast > Cancellation flow > Install."],
      [400, "publicKey: publicKey is required"],
      [401, "Invalid signature: sign the subscriber identity on your server with the widget secret."],
    ] as const) {
      const message = customerMessage("start", new WidgetApiError(status, detail));
      expect(message).toBe("It isn't available right now.");
    }
  });

  it("tells the customer what they can do, by step and status", () => {
    expect(customerMessage("start", new WidgetApiError(0, "fetch failed"))).toMatch(/couldn't reach the server/);
    expect(customerMessage("answer", new WidgetApiError(401, "Invalid session token: start a new session."))).toMatch(/expired/);
    expect(customerMessage("answer", new WidgetApiError(400, "rating must be a whole number from 1 to 10."))).toMatch(/could not be saved/);
    expect(customerMessage("complete", new WidgetApiError(409, "This session was already completed as 'retained'."))).toMatch(/already completed/);
    expect(customerMessage("complete", new Error("boom"))).toMatch(/went wrong/);
  });
});
