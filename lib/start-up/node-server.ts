import { startLocalCron } from "@/lib/cron/local-cron";
import { env } from "@/lib/env";

/** A Node.js server process starting: settings checked once, then the local cron. */
export function startNodeServer() {
  let settings;
  try {
    settings = env();
  } catch (err) {
    // Next would only log a thrown error and go on serving a 500 to every request: stop instead,
    // with the readable list of what to fix.
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
  // next-auth reads its own variable for absolute URLs; APP_URL is the one setting users give.
  process.env.NEXTAUTH_URL ??= settings.APP_URL;
  startLocalCron();
}
