// GET /api/integrations/intercom/connect: sends the signed-in admin to Intercom's consent page.
import { NextResponse, type NextRequest } from "next/server";
import { getAdminSession } from "@/lib/auth/session";
import { startIntercomConnect } from "@/lib/connections/oauth-connect";
import { OAUTH_STATE_COOKIE, OAUTH_STATE_COOKIE_PATH, OAUTH_STATE_TTL_MS } from "@/lib/connections/oauth-state";
import { env } from "@/lib/env";

const OVERVIEW = "/settings/integrations/intercom";

export async function GET(req: NextRequest) {
  const session = await getAdminSession();
  if (!session) {
    return NextResponse.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent(OVERVIEW)}`, env().APP_URL), 302);
  }
  try {
    const { state, url } = await startIntercomConnect(session);
    const res = NextResponse.redirect(url, 302);
    res.cookies.set(OAUTH_STATE_COOKIE, state, {
      httpOnly: true,
      sameSite: "lax",
      secure: req.nextUrl.protocol === "https:",
      path: OAUTH_STATE_COOKIE_PATH,
      maxAge: OAUTH_STATE_TTL_MS / 1000,
    });
    return res;
  } catch (err) {
    console.error("[intercom connect] could not start", { accountId: session.accountId, err });
    return NextResponse.redirect(new URL(`${OVERVIEW}?error=unexpected`, env().APP_URL), 302);
  }
}
