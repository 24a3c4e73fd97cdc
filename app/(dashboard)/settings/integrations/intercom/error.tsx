"use client";

import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export default function IntercomSettingsError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Notice tone="error" title="This page could not be loaded">
      <p>Something went wrong while reading your Intercom settings. Your connection and mappings are unchanged.</p>
      <div className="mt-3">
        <Button variant="secondary" onClick={reset}>
          Try again
        </Button>
      </div>
    </Notice>
  );
}
