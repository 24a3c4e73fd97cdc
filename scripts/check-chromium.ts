// Browser tests drive the system Chromium; stop loudly when there is none instead of skipping.
import { existsSync } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  console.error(
    [
      `No Chromium found at ${path}. The browser tests need one:`,
      "  Debian/Ubuntu: sudo apt-get install -y chromium",
      "  macOS: brew install --cask chromium, then CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium",
      "  or point CHROMIUM_PATH at any Chrome/Chromium binary.",
    ].join("\n"),
  );
  process.exit(1);
}
console.log(`Browser tests will use ${path}`);
