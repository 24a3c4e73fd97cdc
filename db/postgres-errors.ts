// Drizzle wraps driver errors (postgres.js, PGlite); the SQLSTATE sits on the error or its cause.
export function hasPostgresCode(err: unknown, code: "23503" | "23505"): boolean {
  let e = err as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 3; depth++, e = e.cause as typeof e) {
    if (e.code === code) return true;
  }
  return false;
}

export const FOREIGN_KEY_VIOLATION = "23503";
export const UNIQUE_VIOLATION = "23505";
