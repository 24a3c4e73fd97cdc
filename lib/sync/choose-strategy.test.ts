import { describe, expect, it } from "vitest";
import { chooseStrategy } from "./choose-strategy";

describe("chooseStrategy", () => {
  it("looks up 1,000 subscribers in a 1M-contact workspace: 10 calls instead of 6,667", () => {
    expect(chooseStrategy({ contacts: 1_000_000, subscribers: 1_000 })).toEqual({ strategy: "lookup", scanCalls: 6667, lookupCalls: 10 });
  });

  it("scans when subscribers are a large share of the contacts", () => {
    expect(chooseStrategy({ contacts: 100_000, subscribers: 50_000 })).toEqual({ strategy: "scan", scanCalls: 667, lookupCalls: 500 });
    // 20 % matching still looks up: 200 calls against 667.
    expect(chooseStrategy({ contacts: 100_000, subscribers: 20_000 }).strategy).toBe("lookup");
  });

  it("scans small workspaces, where either way takes seconds", () => {
    expect(chooseStrategy({ contacts: 1_000, subscribers: 1 }).strategy).toBe("scan");
  });

  it("needs lookup to be at least twice as cheap", () => {
    expect(chooseStrategy({ contacts: 150 * 40, subscribers: 100 * 20 }).strategy).toBe("lookup");
    expect(chooseStrategy({ contacts: 150 * 40, subscribers: 100 * 21 }).strategy).toBe("scan");
  });

  it("an incremental window with few changes scans them", () => {
    expect(chooseStrategy({ contacts: 300, subscribers: 50 }).strategy).toBe("scan");
  });
});
