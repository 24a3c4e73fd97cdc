// Drizzle wraps driver errors (postgres.js, PGlite); the SQLSTATE sits on the error or its cause.
// Both drivers' server errors carry a severity, which Node's own (EPIPE, ECONNRESET) do not.
type DriverError = { code?: unknown; message?: unknown; severity?: unknown; cause?: unknown };

function driverError(err: unknown): DriverError | null {
  let e = err as DriverError | undefined;
  for (let depth = 0; e && depth < 3; depth++, e = e.cause as DriverError | undefined) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === "string") return e;
  }
  return null;
}

export function hasPostgresCode(err: unknown, code: "23503" | "23505"): boolean {
  return driverError(err)?.code === code;
}

/**
 * The database's own words for a failed statement ("deadlock detected"), without the query
 * text and parameters drizzle puts in front of them; null when the error is not the database's.
 */
export function databaseErrorMessage(err: unknown): string | null {
  const e = driverError(err);
  return e && typeof e.message === "string" ? `${e.message} (SQLSTATE ${e.code as string})` : null;
}

export const FOREIGN_KEY_VIOLATION = "23503";
export const UNIQUE_VIOLATION = "23505";
