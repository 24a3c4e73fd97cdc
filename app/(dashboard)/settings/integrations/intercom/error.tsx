"use client";

import { PageError } from "@/components/ui/page-error";

export default function IntercomSettingsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <PageError title="This page could not be loaded" error={error} reset={reset}>
      Something went wrong while reading your Intercom settings. Your connection and mappings are unchanged.
    </PageError>
  );
}
