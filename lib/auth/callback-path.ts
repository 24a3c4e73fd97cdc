/**
 * Where to go after signing in: only a path on this site. `?callbackUrl=https://elsewhere` (or
 * `//elsewhere`, which browsers read as another host) would make the sign-in page an open redirect.
 */
export function safeCallbackPath(raw: string | string[] | null | undefined, fallback = "/subscribers"): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}
