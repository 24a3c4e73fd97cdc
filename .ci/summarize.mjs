// Adds up vitest's "Tests  N passed (M)" lines and Playwright's "N passed" lines from test logs
// and prints one plain "N passed, N failed" line.
import { readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
  for (const line of text.split("\n")) {
    const vitest = line.match(/^\s*Tests\s+(.*)\(\d+\)\s*$/);
    const source = vitest ? vitest[1] : /^\s*\d+ (passed|failed|skipped|flaky)\b/.test(line) ? line : null;
    if (!source) continue;
    passed += Number(source.match(/(\d+) passed/)?.[1] ?? 0);
    failed += Number(source.match(/(\d+) failed/)?.[1] ?? 0);
    skipped += Number(source.match(/(\d+) skipped/)?.[1] ?? 0);
  }
  console.log(`${file}: ${passed} passed, ${failed} failed so far`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
