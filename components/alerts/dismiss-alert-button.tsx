"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { dismissAlertAction } from "./actions";

export function DismissAlertButton({ alertId }: { alertId: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function dismiss() {
    setError(null);
    startTransition(async () => {
      try {
        const result = await dismissAlertAction(alertId);
        if (!result.ok) setError(result.error);
      } catch {
        setError("Could not reach Holdfast. Try again.");
      }
      router.refresh();
    });
  }

  return (
    <span className="flex items-center gap-2">
      {error ? <span className="text-xs">{error}</span> : null}
      <button
        type="button"
        onClick={dismiss}
        disabled={pending}
        className="rounded-md px-2 py-1 text-sm font-medium hover:bg-black/5 disabled:opacity-50"
      >
        {pending ? "Dismissing…" : "Dismiss"}
      </button>
    </span>
  );
}
