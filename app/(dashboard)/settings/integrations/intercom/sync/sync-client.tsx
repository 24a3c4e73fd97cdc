"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { runSyncAction, type SyncActionResult } from "./actions";

/** "Sync now" / "Full resync"; while a run is going elsewhere (cron), the page refreshes itself. */
export function SyncControls({ running, disabled }: { running: boolean; disabled: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [which, setWhich] = useState<"auto" | "full" | null>(null);
  const [result, setResult] = useState<SyncActionResult | null>(null);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), 4000);
    return () => clearInterval(timer);
  }, [running, router]);

  function run(mode: "auto" | "full") {
    setWhich(mode);
    setResult(null);
    startTransition(async () => {
      try {
        setResult(await runSyncAction(mode));
      } catch {
        setResult({ ok: false, error: "Could not reach Holdfast. Check your connection and try again." });
      }
      router.refresh();
    });
  }

  const busy = pending || running;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={() => run("auto")} disabled={busy || disabled}>
          {pending && which === "auto" ? "Syncing…" : "Sync now"}
        </Button>
        <Button variant="secondary" onClick={() => run("full")} disabled={busy || disabled} title="Read every contact again, not only recent changes">
          {pending && which === "full" ? "Resyncing…" : "Full resync"}
        </Button>
        {running && !pending ? <span className="text-sm text-slate-500">A sync is running…</span> : null}
      </div>
      {result ? (
        <Notice tone={result.ok ? "success" : "error"} title={result.ok ? "Sync finished" : "Sync did not complete"}>
          {result.ok ? result.message : result.error}
        </Notice>
      ) : null}
    </div>
  );
}
