// Intercom spreads the per-minute budget over 10-second windows (API-NOTES §4.3); one budget per
// workspace is enough here because the emulator serves a single workspace.

const WINDOW_SECONDS = 10;

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private windowStart = -1;
  private used = 0;

  constructor(
    public limit: number,
    private readonly nowMs: () => number,
  ) {}

  take(): RateDecision {
    const nowSeconds = Math.floor(this.nowMs() / 1000);
    const windowStart = nowSeconds - (nowSeconds % WINDOW_SECONDS);
    if (windowStart !== this.windowStart) {
      this.windowStart = windowStart;
      this.used = 0;
    }
    const allowed = this.used < this.limit;
    if (allowed) this.used++;
    return { allowed, headers: this.headers(allowed ? this.limit - this.used : 0) };
  }

  /** Headers for a response that did not spend budget (e.g. an injected 429). */
  exhaustedHeaders(): Record<string, string> {
    return this.headers(0);
  }

  private headers(remaining: number): Record<string, string> {
    const nowSeconds = Math.floor(this.nowMs() / 1000);
    const reset = nowSeconds - (nowSeconds % WINDOW_SECONDS) + WINDOW_SECONDS;
    return {
      "X-RateLimit-Limit": String(this.limit),
      "X-RateLimit-Remaining": String(remaining),
      "X-RateLimit-Reset": String(reset),
    };
  }

  reset(): void {
    this.windowStart = -1;
    this.used = 0;
  }
}
