import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-path";

describe("safeCallbackPath", () => {
  it("keeps a path on this site, query included", () => {
    expect(safeCallbackPath("/settings/integrations/intercom?tab=sync")).toBe("/settings/integrations/intercom?tab=sync");
  });

  it("falls back for another host, a protocol-relative or backslash path, and nothing", () => {
    for (const raw of ["https://evil.example/x", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", null, undefined]) {
      expect(safeCallbackPath(raw)).toBe("/subscribers");
    }
    expect(safeCallbackPath(["/deliveries", "/other"])).toBe("/deliveries");
  });
});
