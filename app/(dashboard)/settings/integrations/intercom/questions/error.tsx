"use client";

import { PageError } from "@/components/ui/page-error";

export default function QuestionMappingsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <PageError title="Question mappings could not be loaded" error={error} reset={reset}>
      Something went wrong while loading your questions or Intercom attributes.
    </PageError>
  );
}
