// GET /api/integrations/intercom/sync-status: the latest sync run and its live progress, for the signed-in admin's account (polled by the Sync tab).
import { NextResponse } from "next/server";
import { getAdminSession } from "@/lib/auth/session";
import { getSyncStatus } from "@/lib/sync/sync-status";

export async function GET() {
  const session = await getAdminSession();
  if (!session) return NextResponse.json({ error: "Sign in to see the sync status." }, { status: 401 });
  return NextResponse.json(await getSyncStatus(session.accountId), { headers: { "Cache-Control": "no-store" } });
}
