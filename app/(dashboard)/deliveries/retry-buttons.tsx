"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import type { DeliveryOutcome } from "@/lib/forwarding/deliver";
import { retryAllDeliveriesAction, retryDeliveryAction } from "./actions";

const outcomeText: Record<DeliveryOutcome, string> = {
  delivered: "Delivered",
  pending: "Will retry shortly",
  unknown: "Unconfirmed; will check again",
  failed: "Failed again",
  needs_attention: "Still needs attention",
  superseded: "A newer answer was sent instead",
  skipped: "Queued",
};

const UNREACHABLE = "Could not reach Holdfast. Check your connection and try again.";

export function RetryButton({ deliveryId }: { deliveryId: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function retry() {
    setMessage(null);
    startTransition(async () => {
      try {
        const result = await retryDeliveryAction(deliveryId);
        setMessage(result.ok ? { ok: result.outcome === "delivered", text: outcomeText[result.outcome] } : { ok: false, text: result.error });
      } catch {
        setMessage({ ok: false, text: UNREACHABLE });
      }
      router.refresh();
    });
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={retry} disabled={pending}>
        {pending ? "Retrying…" : "Retry"}
      </Button>
      {message ? (
        <span role="status" className={`max-w-[10rem] text-right text-xs ${message.ok ? "text-emerald-700" : "text-slate-500"}`}>
          {message.text}
        </span>
      ) : null}
    </div>
  );
}

export function RetryAllButton({ stuck }: { stuck: number }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  function retryAll() {
    setResult(null);
    startTransition(async () => {
      try {
        const outcome = await retryAllDeliveriesAction();
        setResult(
          outcome.ok
            ? { ok: true, text: outcome.requeued ? `${outcome.requeued} ${outcome.requeued === 1 ? "answer is" : "answers are"} being sent again.` : "Nothing left to retry." }
            : { ok: false, text: outcome.error },
        );
      } catch {
        setResult({ ok: false, text: UNREACHABLE });
      }
      router.refresh();
      // The resend runs after the response; look again once it has had a moment.
      setTimeout(() => router.refresh(), 3000);
    });
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <Button onClick={retryAll} disabled={pending || stuck === 0} title={stuck === 0 ? "No failed or needing-attention answers" : undefined}>
        {pending ? "Retrying…" : `Retry all failed / needing attention${stuck ? ` (${stuck.toLocaleString("en-US")})` : ""}`}
      </Button>
      {result ? (
        <Notice tone={result.ok ? "success" : "error"}>{result.text}</Notice>
      ) : null}
    </div>
  );
}
