"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { SYNC_STATUS_KEY, SyncProgress, useSyncStatus } from "@/components/sync/sync-progress";
import { syncNotice } from "@/components/sync/sync-outcome";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import type { SyncStatus } from "@/lib/sync/sync-status";
import { startSyncAction, type SyncActionResult } from "./actions";

/** "Sync now" / "Full resync" and the live progress of whichever run is going (manual or cron). */
export function SyncLive({ initial, disabled }: { initial: SyncStatus; disabled: boolean }) {
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [which, setWhich] = useState<"auto" | "full" | null>(null);
  const [result, setResult] = useState<SyncActionResult | null>(null);
  const [boost, setBoost] = useState(0);
  const status = useSyncStatus(initial, boost);
  const running = status.data.running;

  function start(mode: "auto" | "full") {
    setWhich(mode);
    setResult(null);
    startTransition(async () => {
      try {
        setResult(await startSyncAction(mode));
      } catch {
        setResult({ ok: false, error: "Could not reach Holdfast. Check your connection and try again." });
      }
      setBoost(Date.now());
      await queryClient.invalidateQueries({ queryKey: SYNC_STATUS_KEY });
    });
  }

  const busy = pending || running;
  const notice = result?.ok ? syncNotice(result, running, status.data.run) : null;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={() => start("auto")} disabled={busy || disabled}>
          {pending && which === "auto" ? "Starting…" : "Sync now"}
        </Button>
        <Button variant="secondary" onClick={() => start("full")} disabled={busy || disabled} title="Read every contact again, not only recent changes">
          {pending && which === "full" ? "Starting…" : "Full resync"}
        </Button>
        {running ? <span className="text-sm text-slate-500">A sync is running; the buttons come back when it ends.</span> : null}
      </div>
      {notice ? (
        <Notice tone={notice.tone} title={notice.title}>
          {notice.body}
        </Notice>
      ) : result && !result.ok ? (
        <Notice tone="error" title="Sync not started">
          {result.error}
        </Notice>
      ) : null}
      <SyncProgress data={status.data} error={status.error} />
    </div>
  );
}
