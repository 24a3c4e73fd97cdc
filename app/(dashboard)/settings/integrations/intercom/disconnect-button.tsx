"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { disconnectIntercomAction } from "./actions";

export function DisconnectButton({ workspaceName }: { workspaceName: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function disconnect() {
    setError(null);
    startTransition(async () => {
      const result = await disconnectIntercomAction();
      if (!result.ok) {
        setError(result.error);
        return;
      }
      router.push(`/settings/integrations/intercom?disconnected=${result.warning ? "unconfirmed" : "1"}`);
      router.refresh();
    });
  }

  if (!confirming) {
    return (
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Disconnect
      </Button>
    );
  }
  return (
    <div className="w-full space-y-3 rounded-lg border border-red-200 bg-red-50/60 p-4 text-sm text-slate-700">
      <p className="font-medium text-slate-900">Disconnect {workspaceName}?</p>
      <ul className="list-disc space-y-1 pl-5">
        <li>Holdfast removes its access from Intercom and stops syncing contacts and writing survey answers.</li>
        <li>Your property and question mappings are kept, so reconnecting picks up where you left off.</li>
        <li>Values already synced into subscriber properties stay as they are.</li>
      </ul>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div className="flex gap-2">
        <Button variant="danger" onClick={disconnect} disabled={pending}>
          {pending ? "Disconnecting…" : "Yes, disconnect"}
        </Button>
        <Button variant="secondary" onClick={() => setConfirming(false)} disabled={pending}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
