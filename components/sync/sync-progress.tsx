"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { Notice } from "@/components/ui/notice";
import type { SyncStatus } from "@/lib/sync/sync-status";
import { countOf } from "@/lib/text/plural";

export const SYNC_STATUS_KEY = ["intercom-sync-status"] as const;

async function fetchStatus(): Promise<SyncStatus> {
  const res = await fetch("/api/integrations/intercom/sync-status", { cache: "no-store" });
  if (!res.ok) throw new Error(res.status === 401 ? "Your session ended. Sign in again." : `Could not load the sync status (${res.status}).`);
  return res.json();
}

const n = (v: number) => v.toLocaleString("en-US");
const strategyLabels: Record<string, string> = {
  scan: "reading every contact",
  lookup: "looking subscribers up by email",
  backfill: "filling newly mapped properties",
};

/**
 * The account's sync status, polled every 2 s while a run is going (and for a few seconds after a
 * button press, as the run starts just after). When a run finishes, the server-rendered history
 * is refreshed.
 */
export function useSyncStatus(initial: SyncStatus, boost: number) {
  const router = useRouter();
  const query = useQuery({
    queryKey: SYNC_STATUS_KEY,
    queryFn: fetchStatus,
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.running || Date.now() - boost < 10_000 ? 2000 : 30_000),
  });
  // A run that ended (or one that started and ended between two polls) changes the history.
  const latest = `${query.data.run?.id}:${query.data.run?.status}`;
  const seen = useRef(latest);
  useEffect(() => {
    if (seen.current !== latest && !query.data.running) router.refresh();
    seen.current = latest;
  }, [latest, query.data.running, router]);
  return query;
}

/** The running sync: contacts read and matched of the estimated total; or a paused window. */
export function SyncProgress({ data, error }: { data: SyncStatus; error: Error | null }) {
  if (error) return <Notice tone="warning">{error.message}</Notice>;
  const run = data.run;
  if (data.running && run) {
    const total = run.estimatedTotal;
    const readPct = total ? Math.min(100, (run.contactsRead / total) * 100) : null;
    const matchedPct = total ? Math.min(100, (run.contactsMatched / total) * 100) : null;
    const phase = (run.strategy ?? "").split("+").filter(Boolean).at(-1);
    return (
      <div className="space-y-3 rounded-lg border border-brand-100 bg-brand-50/60 p-4" role="status" aria-live="polite">
        <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
          <span className="font-medium text-slate-900">
            {run.mode === "full" ? "Full sync" : "Incremental sync"} running{phase ? ` · ${strategyLabels[phase] ?? phase}` : ""}
          </span>
          <span className="tabular-nums text-slate-600">
            {n(run.contactsRead)} read · {n(run.contactsMatched)} matched{total !== null ? ` of ~${n(total)}` : ""}
          </span>
        </div>
        <div
          className="relative h-2.5 overflow-hidden rounded-full bg-white ring-1 ring-brand-100"
          role="progressbar"
          aria-label="Contacts read"
          aria-valuemin={0}
          aria-valuemax={total ?? undefined}
          aria-valuenow={run.contactsRead}
        >
          {readPct === null ? (
            <div className="h-full w-1/3 animate-pulse rounded-full bg-brand-500/60" />
          ) : (
            <>
              <div className="absolute inset-y-0 left-0 rounded-full bg-brand-500/40 transition-all" style={{ width: `${readPct}%` }} />
              <div className="absolute inset-y-0 left-0 rounded-full bg-brand-600 transition-all" style={{ width: `${matchedPct}%` }} />
            </>
          )}
        </div>
        <p className="text-xs text-slate-500 tabular-nums">
          {countOf(run.pagesRead, "page")} · {countOf(run.apiCalls, "API call")} · {countOf(run.rateLimitWaits, "rate-limit wait")} ·{" "}
          {countOf(run.valuesUpdated, "value")} updated
          {run.errorCount > 0 ? ` · ${countOf(run.errorCount, "error")}` : ""}
        </p>
      </div>
    );
  }
  if (data.paused) {
    const { paused } = data;
    return (
      <Notice tone="info" title={paused.kind === "backfill" ? "Backfill paused" : `${paused.mode === "full" ? "Full" : "Incremental"} sync paused`}>
        {paused.estimatedTotal !== null ? `${n(paused.read)} of ~${countOf(paused.estimatedTotal, "contact")}` : countOf(paused.read, "contact")} read so
        far.
        The next scheduled run continues from its checkpoint; nothing is read twice.
      </Notice>
    );
  }
  return null;
}
