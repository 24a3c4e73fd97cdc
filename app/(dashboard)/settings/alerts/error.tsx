"use client";

import { PageError } from "@/components/ui/page-error";

export default function AlertsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <PageError title="Alert settings could not be loaded" error={error} reset={reset}>
      Something went wrong on our side.
    </PageError>
  );
}
