// GET /api/integrations/intercom/callback: Intercom returns here after consent; finishes the connection.
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getAdminSession } from "@/lib/auth/session";
import type { ConnectErrorCode } from "@/lib/connections/connect-errors";
import { completeIntercomConnect } from "@/lib/connections/oauth-connect";
import { OAUTH_STATE_COOKIE, OAUTH_STATE_COOKIE_PATH, stateMatchesBrowser } from "@/lib/connections/oauth-state";
import { env } from "@/lib/env";

const callbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().min(1).max(512),
  error: z.string().max(200).optional(),
});

export async function GET(req: NextRequest) {
  const query = callbackQuerySchema.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  // Checked before anything else: a callback this browser did not start never reaches the session or DB.
  if (!query.success || !stateMatchesBrowser(query.data.state, req.cookies.get(OAUTH_STATE_COOKIE)?.value)) {
    return backToSettings({ error: "state_mismatch" });
  }
  const session = await getAdminSession();
  if (!session) return NextResponse.redirect(new URL("/sign-in", env().APP_URL), 302);
  try {
    const result = await completeIntercomConnect({ ...session, ...query.data });
    if (!result.ok) console.warn("[intercom callback] refused", { accountId: session.accountId, ...result });
    return backToSettings(result.ok ? { connected: "1" } : { error: result.code });
  } catch (err) {
    console.error("[intercom callback] failed", { accountId: session.accountId, err });
    return backToSettings({ error: "unexpected" });
  }
}

// Based on APP_URL, not req.url: behind `next start` or a proxy, req.url names the internal host
// (e.g. localhost) and the admin's session cookie would not go with the redirect.
function backToSettings(params: { connected: "1" } | { error: ConnectErrorCode }) {
  const url = new URL("/settings/integrations/intercom", env().APP_URL);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = NextResponse.redirect(url, 302);
  // The state is single-use whatever the outcome; the cookie goes with it.
  res.cookies.set(OAUTH_STATE_COOKIE, "", { path: OAUTH_STATE_COOKIE_PATH, maxAge: 0 });
  return res;
}
