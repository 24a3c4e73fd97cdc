// Adds up vitest's "Tests  N passed (M)" lines and Playwright's "N passed" lines from test logs
// and prints each log's counts, then one plain "N passed, N failed" line for all of them.
import { readFileSync } from "node:fs";

const total = { passed: 0, failed: 0, skipped: 0 };
for (const file of process.argv.slice(2)) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const text = readFileSync(file, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
  for (const line of text.split("\n")) {
    const vitest = line.match(/^\s*Tests\s+(.*)\(\d+\)\s*$/);
    const source = vitest ? vitest[1] : /^\s*\d+ (passed|failed|skipped|flaky)\b/.test(line) ? line : null;
    if (!source) continue;
    for (const key of Object.keys(counts)) counts[key] += Number(source.match(new RegExp(`(\\d+) ${key}`))?.[1] ?? 0);
  }
  for (const key of Object.keys(total)) total[key] += counts[key];
  console.log(`${file}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`);
}
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
