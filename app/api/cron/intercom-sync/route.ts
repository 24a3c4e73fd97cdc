// GET /api/cron/intercom-sync: Vercel cron tick — syncs every connected Intercom workspace, then sends due survey answers.
import { NextResponse } from "next/server";
import { isAuthorizedCronRequest } from "@/lib/cron/verify-cron";
import { env } from "@/lib/env";
import { runScheduledSyncs } from "@/lib/sync/run-scheduled-syncs";

export const maxDuration = 300;

export async function GET(req: Request) {
  if (!isAuthorizedCronRequest(req)) {
    return NextResponse.json({ error: "Unauthorized: this endpoint is for the scheduler only." }, { status: 401 });
  }
  // SYNC_TIME_BUDGET_MS (default 240 s) leaves headroom under maxDuration for the last page and the lease release.
  const summary = await runScheduledSyncs({ budgetMs: env().SYNC_TIME_BUDGET_MS });
  return NextResponse.json({ ok: true, ...summary });
}
