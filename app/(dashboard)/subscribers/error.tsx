"use client";

import { PageError } from "@/components/ui/page-error";

export default function SubscribersError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <PageError title="Subscribers could not be loaded" error={error} reset={reset}>
      Something went wrong on our side.
    </PageError>
  );
}
