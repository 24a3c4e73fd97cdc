"use client";

import { PageError } from "@/components/ui/page-error";

export default function DeliveriesError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <PageError title="Deliveries could not be loaded" error={error} reset={reset}>
      Something went wrong on our side. Your answers are safe and keep being sent to Intercom.
    </PageError>
  );
}
