// GET /api/cron/intercom-sync: Vercel cron tick — syncs every connected Intercom workspace, then sends due survey answers.
import { NextResponse } from "next/server";
import { isAuthorizedCronRequest } from "@/lib/cron/verify-cron";
import { runScheduledSyncs } from "@/lib/sync/run-scheduled-syncs";

export const maxDuration = 300;

// Leaves headroom under maxDuration for the response and the lease release.
const BUDGET_MS = 270_000;

export async function GET(req: Request) {
  if (!isAuthorizedCronRequest(req)) {
    return NextResponse.json({ error: "Unauthorized: this endpoint is for the scheduler only." }, { status: 401 });
  }
  const summary = await runScheduledSyncs({ budgetMs: BUDGET_MS });
  return NextResponse.json({ ok: true, ...summary });
}
