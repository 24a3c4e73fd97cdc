// Switchable failures for client tests: queued error responses and slow ("hanging") answers.
// Rules are consumed in order, each for `count` matching requests; a rule with a `rate` instead
// answers that share of matching requests until the faults are cleared (load tests).

import { createPrng, type Prng } from "./prng";

export type FaultStatus = 429 | 500 | 502 | 503 | 504;

export interface FaultMatch {
  method?: string;
  pathPrefix?: string;
}

export interface FaultRule {
  status: FaultStatus;
  /** How many matching requests get this answer; default 1. Ignored when `rate` is set. */
  count?: number;
  /** Share (0-1) of matching requests that get this answer, until cleared. */
  rate?: number;
  /**
   * Matching requests let through before the rule applies (queued rules): "the third search
   * fails" holds however far ahead a client reads, unlike injecting the fault after page two.
   */
  after?: number;
  match?: FaultMatch;
}

export interface HangRule {
  /** Delay before the request is handled normally. */
  ms: number;
  count?: number;
  match?: FaultMatch;
}

interface Pending<T> {
  rule: T;
  remaining: number;
  /** Matching requests still to let through first. */
  skip: number;
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.pathPrefix && !path.startsWith(match.pathPrefix)) return false;
  return true;
}

function take<T extends { match?: FaultMatch }>(list: Pending<T>[], method: string, path: string): T | undefined {
  const index = list.findIndex((p) => p.remaining > 0 && matches(p.rule.match, method, path));
  if (index < 0) return undefined;
  const pending = list[index] as Pending<T>;
  if (pending.skip > 0) {
    pending.skip--;
    return undefined;
  }
  pending.remaining--;
  if (pending.remaining <= 0) list.splice(index, 1);
  return pending.rule;
}

// Seeded so a load run sees the same sequence of failures each time.
const RATE_SEED = 0x429;

export class Faults {
  private errors: Pending<FaultRule>[] = [];
  private hangs: Pending<HangRule>[] = [];
  private rated: FaultRule[] = [];
  private prng: Prng = createPrng(RATE_SEED);

  /**
   * Queue error answers, e.g. `faults.inject({ status: 500, count: 2, match: { pathPrefix: "/contacts" } })`,
   * or a standing share: `faults.inject({ status: 429, rate: 0.25, match: { method: "PUT", pathPrefix: "/contacts/" } })`.
   */
  inject(...rules: FaultRule[]): void {
    for (const rule of rules) {
      if (rule.rate !== undefined) this.rated.push(rule);
      else this.errors.push({ rule, remaining: rule.count ?? 1, skip: rule.after ?? 0 });
    }
  }

  hang(rule: HangRule): void {
    this.hangs.push({ rule, remaining: rule.count ?? 1, skip: 0 });
  }

  takeError(method: string, path: string): FaultRule | undefined {
    const queued = take(this.errors, method, path);
    if (queued) return queued;
    return this.rated.find((rule) => matches(rule.match, method, path) && this.prng.next() < (rule.rate ?? 0));
  }

  takeHang(method: string, path: string): HangRule | undefined {
    return take(this.hangs, method, path);
  }

  clear(): void {
    this.errors = [];
    this.hangs = [];
    this.rated = [];
    this.prng = createPrng(RATE_SEED);
  }

  snapshot(): {
    queue: Array<FaultRule & { remaining: number }>;
    hangs: Array<HangRule & { remaining: number }>;
    rated: FaultRule[];
  } {
    return {
      queue: this.errors.map((p) => ({ ...p.rule, remaining: p.remaining })),
      hangs: this.hangs.map((p) => ({ ...p.rule, remaining: p.remaining })),
      rated: [...this.rated],
    };
  }
}
