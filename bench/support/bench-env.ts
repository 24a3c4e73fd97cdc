// Settings shared by the bench process and the `next start` it launches. Fixed, throwaway
// secrets: both sides must agree on them (session tokens, encrypted Intercom token).

export const BENCH_ENV = {
  NODE_ENV: "production",
  AUTH_SECRET: "bench-auth-secret-0123456789abcdef",
  ENCRYPTION_KEY: "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
  CRON_SECRET: "bench-cron-secret-0123456789",
  INTERCOM_CLIENT_ID: "holdfast-dev-client",
  INTERCOM_CLIENT_SECRET: "holdfast-dev-secret",
  // The bench drives the cron itself, so the drain is measured and not raced by a timer.
  LOCAL_CRON: "off",
  NEXT_TELEMETRY_DISABLED: "1",
} as const;

/** Applies the bench settings to this process before any lib module reads env(). */
export function applyBenchEnv(extra: Record<string, string>) {
  Object.assign(process.env, BENCH_ENV, extra);
}
