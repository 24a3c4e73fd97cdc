// What clients sent and what they got back, so tests can assert on the traffic (headers sent,
// bodies, retries) without a proxy.

export interface RequestLogEntry {
  requestId: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** A subset: the ones clients are expected to get right. Authorization is masked. */
  headers: {
    authorization?: string;
    accept?: string;
    "content-type"?: string;
    "intercom-version"?: string;
    "user-agent"?: string;
  };
  intercomVersion: string | null;
  /** ms since epoch, from the emulator clock. */
  at: number;
  durationMs: number;
}

const MAX_ENTRIES = 20_000;

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  clear(): void {
    this.entries.length = 0;
  }
}

export function maskAuthorization(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const [scheme, token] = value.split(" ", 2);
  if (!token) return value.length > 12 ? `${value.slice(0, 8)}…` : value;
  return `${scheme} ${token.slice(0, 8)}…`;
}
