export type IntercomErrorKind =
  | "unauthorized" // 401: token revoked or invalid; the connection needs reconnecting
  | "not_found" // 404
  | "gone" // 410: contact merged; `canonicalId` from the Link header
  | "invalid" // 400/422: our request is wrong; retrying will not help
  | "rate_limited" // 429
  | "server" // 5xx, HTML gateway pages
  | "network" // connection refused/reset
  | "timeout" // no answer in time: the write may or may not have been applied
  | "bad_response" // 2xx whose body does not match the schema we rely on
  | "out_of_time" // a wait Intercom asked for (429, backoff) would run past the caller's deadline
  | "other";

export class IntercomError extends Error {
  constructor(
    readonly kind: IntercomErrorKind,
    message: string,
    readonly details: {
      status?: number;
      code?: string;
      requestId?: string;
      retryAfterMs?: number;
      canonicalId?: string;
    } = {},
  ) {
    super(message);
    this.name = "IntercomError";
  }

  get status() {
    return this.details.status;
  }

  get code() {
    return this.details.code;
  }

  /** Worth trying again later with the same request. */
  get retryable(): boolean {
    return ["rate_limited", "server", "network", "timeout"].includes(this.kind);
  }
}

export function kindForStatus(status: number): IntercomErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 404) return "not_found";
  if (status === 410) return "gone";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server";
  if (status === 400 || status === 422) return "invalid";
  return "other";
}

/** The client gave up waiting because the caller's deadline would pass first (not a failure). */
export function outOfTime(err: unknown): err is IntercomError {
  return err instanceof IntercomError && err.kind === "out_of_time";
}
