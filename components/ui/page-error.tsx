"use client";

import type { ReactNode } from "react";
import { Button } from "./button";
import { Notice } from "./notice";

/** The body of a route's error.tsx: what failed, what is safe, a reference for support, and a retry. */
export function PageError({
  title,
  children,
  error,
  reset,
}: {
  title: string;
  children?: ReactNode;
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="space-y-4">
      <Notice tone="error" title={title}>
        {children} Try again; if it keeps happening, quote reference {error.digest ?? "unknown"} to support.
      </Notice>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
