"use client";

import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export default function QuestionMappingsError({ reset }: { error: Error; reset: () => void }) {
  return (
    <Notice tone="error" title="Question mappings could not be loaded">
      <p>Something went wrong while loading your questions or Intercom attributes.</p>
      <Button variant="secondary" className="mt-3" onClick={reset}>
        Try again
      </Button>
    </Notice>
  );
}
