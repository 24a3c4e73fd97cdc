import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DeliveryBadge } from "./delivery-badge";
import { MatchBadge } from "./match-badge";
import { ViewInIntercomLink } from "./view-in-intercom-link";

describe("subscriber components", () => {
  it("opens Intercom in a new tab that cannot reach back to Holdfast", () => {
    const html = renderToStaticMarkup(createElement(ViewInIntercomLink, { href: "https://app.eu.intercom.com/a/apps/w1/users/c1/all-conversations" }));
    expect(html).toContain('href="https://app.eu.intercom.com/a/apps/w1/users/c1/all-conversations"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer"');
    expect(html).toContain('aria-label="View in Intercom"');
  });

  it.each([
    ["matched", 1, "Matched"],
    ["ambiguous", 3, "Ambiguous (3 contacts)"],
    ["none", 0, "No Intercom match"],
  ] as const)("labels a %s subscriber", (match, candidates, label) => {
    expect(renderToStaticMarkup(createElement(MatchBadge, { match, candidates }))).toContain(label);
  });

  it("shows why a delivery is stuck", () => {
    const failed = renderToStaticMarkup(createElement(DeliveryBadge, { delivery: { state: "failed", reason: "attribute does not exist" } }));
    expect(failed).toContain("Failed");
    expect(failed).toContain("attribute does not exist");
    const attention = renderToStaticMarkup(createElement(DeliveryBadge, { delivery: { state: "needs_attention", lastError: "Reconnect Intercom" } }));
    expect(attention).toContain("Needs attention");
    expect(attention).toContain("Reconnect Intercom");
    expect(renderToStaticMarkup(createElement(DeliveryBadge, { delivery: { state: "not_mapped" } }))).toContain("Not mapped");
  });
});
