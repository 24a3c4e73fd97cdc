// Switchable failures for client tests: queued error responses and slow ("hanging") answers.
// Rules are consumed in order, each for `count` matching requests.

export type FaultStatus = 429 | 500 | 502 | 503 | 504;

export interface FaultMatch {
  method?: string;
  pathPrefix?: string;
}

export interface FaultRule {
  status: FaultStatus;
  /** How many matching requests get this answer; default 1. */
  count?: number;
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
  pending.remaining--;
  if (pending.remaining <= 0) list.splice(index, 1);
  return pending.rule;
}

export class Faults {
  private errors: Pending<FaultRule>[] = [];
  private hangs: Pending<HangRule>[] = [];

  /** Queue error answers, e.g. `faults.inject({ status: 500, count: 2, match: { pathPrefix: "/contacts" } })`. */
  inject(...rules: FaultRule[]): void {
    for (const rule of rules) this.errors.push({ rule, remaining: rule.count ?? 1 });
  }

  hang(rule: HangRule): void {
    this.hangs.push({ rule, remaining: rule.count ?? 1 });
  }

  takeError(method: string, path: string): FaultRule | undefined {
    return take(this.errors, method, path);
  }

  takeHang(method: string, path: string): HangRule | undefined {
    return take(this.hangs, method, path);
  }

  clear(): void {
    this.errors = [];
    this.hangs = [];
  }

  snapshot(): { queue: Array<FaultRule & { remaining: number }>; hangs: Array<HangRule & { remaining: number }> } {
    return {
      queue: this.errors.map((p) => ({ ...p.rule, remaining: p.remaining })),
      hangs: this.hangs.map((p) => ({ ...p.rule, remaining: p.remaining })),
    };
  }
}
