import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import type { AdminSession } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { runAfterResponse } from "@/lib/widget/after-response";
import { kickDeliveries } from "@/lib/widget/delivery-kick";
import type { ConnectErrorCode } from "./connect-errors";
import { completeIntercomConnect } from "./oauth-connect";
import { OAUTH_STATE_COOKIE, OAUTH_STATE_COOKIE_PATH, stateMatchesBrowser } from "./oauth-state";

const callbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().min(1).max(512),
  error: z.string().max(200).optional(),
});

/**
 * The OAuth callback (GET /api/integrations/intercom/callback). The signed-in admin is passed in
 * so the route stays a one-liner and tests can drive the whole callback with a known session.
 */
export async function handleIntercomCallback(req: NextRequest, getSession: () => Promise<AdminSession | null>): Promise<NextResponse> {
  const query = callbackQuerySchema.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  // Checked before anything else: a callback this browser did not start never reaches the session or DB.
  if (!query.success || !stateMatchesBrowser(query.data.state, req.cookies.get(OAUTH_STATE_COOKIE)?.value)) {
    return backToSettings({ error: "state_mismatch" });
  }
  const session = await getSession();
  if (!session) return NextResponse.redirect(new URL("/sign-in", env().APP_URL), 302);
  try {
    const result = await completeIntercomConnect({ ...session, ...query.data });
    if (!result.ok) {
      console.warn("[intercom callback] refused", { accountId: session.accountId, ...result });
      return backToSettings({ error: result.code });
    }
    // Answers queued while Intercom was disconnected or revoked go out now, not at the next
    // cron tick (up to 5 minutes away); the admin's redirect does not wait for them.
    runAfterResponse(() => kickDeliveries(session.accountId));
    return backToSettings({ connected: "1" });
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
