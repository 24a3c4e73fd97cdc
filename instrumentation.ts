// Runs once when a Next.js server process starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  const { APP_URL } = env(); // fail at start-up with a readable list of missing settings
  // next-auth reads its own variable for absolute URLs; APP_URL is the one setting users give.
  process.env.NEXTAUTH_URL ??= APP_URL;
  const { startLocalCron } = await import("@/lib/cron/local-cron");
  startLocalCron();
}
