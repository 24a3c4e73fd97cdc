import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { importSizeProblem, MAX_IMPORT_BYTES } from "./import-limits";

describe("CSV import size", () => {
  it("counts bytes, not characters: 10,000 rows of accented names under 4,000,000 characters are too large", () => {
    const row = (i: number) => `client${i}@example.com,${"Zoë Brontë-Dvořák ".repeat(10)},${"é".repeat(150)},active\n`;
    const csv = `email,name,plan,status\n${Array.from({ length: 10_000 }, (_, i) => row(i)).join("")}`;
    expect(csv.length).toBeLessThan(4_000_000);
    expect(importSizeProblem(csv)).toMatch(/^This file is \d\.\d MB; import at most 4 MB at a time\. Split it into smaller files/);
    expect(importSizeProblem("a".repeat(MAX_IMPORT_BYTES))).toBeNull();
    expect(importSizeProblem("a".repeat(MAX_IMPORT_BYTES - 1) + "é")).toBe(
      "This file is 4.1 MB; import at most 4 MB at a time. Split it into smaller files and import each.",
    );
  });

  it("fits, with its multipart envelope, under the server action body limit in next.config.mjs", async () => {
    // Parsed the way Next parses it, or a file the form lets through would end as Next's bare 500.
    const bytes = createRequire(import.meta.url)("next/dist/compiled/bytes") as { parse(value: string | number): number };
    const { default: nextConfig } = await import(new URL("../../next.config.mjs", import.meta.url).href);
    expect(bytes.parse(nextConfig.experimental.serverActions.bodySizeLimit)).toBeGreaterThanOrEqual(MAX_IMPORT_BYTES + 64 * 1024);
  });
});
