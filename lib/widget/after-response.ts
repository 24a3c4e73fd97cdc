import { after } from "next/server";

/**
 * Runs work once the response is sent (Next's `after`). Outside a Next request scope (scripts,
 * tests calling a handler directly) `after` throws, and the work simply runs in the background.
 */
export function runAfterResponse(task: () => Promise<unknown>) {
  const guarded = () =>
    task().catch((err: unknown) => {
      console.error("[widget] background task failed", err);
    });
  try {
    after(guarded);
  } catch {
    void guarded();
  }
}
