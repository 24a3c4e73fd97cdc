// Runs once when a Next.js server process starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  env(); // fail at start-up with a readable list of missing settings, not on the first request
  const { startLocalCron } = await import("@/lib/cron/local-cron");
  startLocalCron();
}
