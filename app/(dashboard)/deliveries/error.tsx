"use client";

import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export default function DeliveriesError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="space-y-4">
      <Notice tone="error" title="Deliveries could not be loaded">
        Something went wrong on our side. Your answers are safe and keep being sent to Intercom. Try again; if it keeps happening,
        quote reference {error.digest ?? "unknown"} to support.
      </Notice>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
