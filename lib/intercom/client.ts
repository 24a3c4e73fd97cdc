import type { z } from "zod";
import { env } from "@/lib/env";
import { storableText } from "@/lib/text/storable";
import { fetchOffThread, type ContactFields } from "./decode-thread";
import { IntercomError, kindForStatus } from "./errors";
import { apiBaseUrl, type Region } from "./hosts";
import { createLocalRateBudget, jitter, rateLimitedWaitMs, reserveFor, type RateBudget, type RateObservation } from "./rate-budget";
import { searchRequestProblem } from "./search-request";
import {
  contactListSchema,
  contactSchema,
  dataAttributeListSchema,
  dataAttributeSchema,
  errorBodySchema,
  meSchema,
  type SearchRequest,
} from "./schemas";

// Pinned: 2.16 changes search date semantics and owner_id's type; a silent version bump must not.
export const INTERCOM_VERSION = "2.16";

export interface ClientStats {
  apiCalls: number;
  rateLimitWaits: number;
}

export interface IntercomClientOptions {
  token: string;
  region?: Region;
  /** Transient failures (429, 5xx, network) retried inside one call; 0 leaves retries to the caller. */
  retries?: number;
  timeoutMs?: number;
  stats?: ClientStats;
  sleep?: (ms: number) => Promise<void>;
  /** The workspace's shared budget (clientForConnection passes it); without one the client paces itself. */
  budget?: RateBudget;
  /**
   * Unix ms the caller must be done by (a cron invocation's time budget). A rate-limit or backoff
   * wait that would end later throws `out_of_time` instead, so the caller checkpoints and stops
   * in time rather than being killed mid-wait by the platform (traps C18, C25).
   */
  deadline?: number;
}

export interface RateLimitState {
  limit?: number;
  remaining?: number;
  resetAt?: number; // unix ms
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createIntercomClient(opts: IntercomClientOptions) {
  const base = apiBaseUrl(opts.region ?? "US");
  const timeoutMs = opts.timeoutMs ?? env().INTERCOM_TIMEOUT_MS;
  const sleep = opts.sleep ?? defaultSleep;
  const stats = opts.stats ?? { apiCalls: 0, rateLimitWaits: 0 };
  const rate: RateLimitState = {};
  const budget = opts.budget ?? createLocalRateBudget();
  const waitWithinDeadline = (ms: number) => {
    if (opts.deadline !== undefined && Date.now() + ms > opts.deadline) {
      return Promise.reject(
        new IntercomError("out_of_time", `Intercom asked to wait ${Math.ceil(ms / 1000)} s, past this run's time limit`),
      );
    }
    return sleep(ms);
  };

  async function send<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, read?: ThreadRead): Promise<z.infer<S>> {
    const attempts = (opts.retries ?? 0) + 1;
    for (let attempt = 1; ; attempt++) {
      // Slow down before Intercom has to say 429: the window is shared by every process and
      // feature working on this workspace.
      if (await budget.acquire(waitWithinDeadline)) stats.rateLimitWaits++;
      try {
        return await sendOnce(method, path, schema, body, read);
      } catch (err) {
        if (!(err instanceof IntercomError) || !err.retryable || attempt >= attempts) throw err;
        // A 429 was recorded in the budget as a spent window: the next acquire() waits for its
        // reset (with jitter), and so does every other client of this workspace.
        if (err.kind === "rate_limited") continue;
        // A timed-out PUT is safe to repeat: our writes are absolute values, never increments.
        await waitWithinDeadline(backoffMs(attempt));
      }
    }
  }

  async function sendOnce<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, read?: ThreadRead) {
    stats.apiCalls++;
    const init: RequestFields = {
      method,
      headers: {
        Authorization: `Bearer ${opts.token}`,
        Accept: "application/json",
        "Intercom-Version": INTERCOM_VERSION,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    const url = `${base}${path}`;
    const { res, text, json: decoded } =
      read && env().INTERCOM_DECODE_THREAD
        ? // A page read early is a request the shared budget counts only when the walk takes it: the
          // thread reads one only while the window keeps more than the reserve for requests in flight.
          await offThread(url, init, timeoutMs, read.fields, { readNext: read.readNext, reserve: reserveFor(rate.limit ?? null) })
        : await inline(url, init, timeoutMs);
    const observed = readRateLimit(res);
    if (observed.limit !== undefined) rate.limit = observed.limit;
    if (observed.remaining !== undefined) rate.remaining = observed.remaining;
    if (observed.resetAt !== undefined) rate.resetAt = observed.resetAt;
    await budget.observe(observed);
    // Only this answer's own reset counts: an earlier window's would mean "retry now".
    if (!res.ok) throw errorFromResponse(res, text, observed);
    let json: unknown = decoded;
    try {
      if (decoded === undefined) json = JSON.parse(text);
    } catch {
      throw new IntercomError("bad_response", `Intercom answered ${res.status} with a body that is not JSON`, {
        status: res.status,
        requestId: res.headers.get("x-request-id") ?? undefined,
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new IntercomError("bad_response", `Unexpected Intercom response for ${method} ${path}: ${parsed.error.message}`, {
        status: res.status,
        requestId: res.headers.get("x-request-id") ?? undefined,
      });
    }
    return parsed.data;
  }

  return {
    stats,
    rate,
    me: () => send("GET", "/me", meSchema),
    listDataAttributes: (includeArchived = false) =>
      send("GET", `/data_attributes?model=contact&include_archived=${includeArchived}`, dataAttributeListSchema).then((l) => l.data),
    createDataAttribute: (input: {
      name: string;
      data_type: string;
      description?: string;
      options?: { value: string }[];
    }) => send("POST", "/data_attributes", dataAttributeSchema, { model: "contact", messenger_writable: false, ...input }),
    /**
     * With `fields`, each contact comes back with its core fields and those attributes only, read
     * off the main thread. With `readNext` too, the thread reads the page after this one as soon as
     * its cursor is known, for a walk that will ask for it next (searchContactPages' read-ahead).
     */
    searchContacts: (request: SearchRequest, fields?: ContactFields, opts: { readNext?: boolean } = {}) => {
      const problem = searchRequestProblem(request);
      if (problem) return Promise.reject(new IntercomError("invalid", `Holdfast built a search Intercom would reject: ${problem}`));
      return send("POST", "/contacts/search", contactListSchema, request, fields && { fields, readNext: opts.readNext === true });
    },
    getContact: (id: string) => send("GET", `/contacts/${encodeURIComponent(id)}`, contactSchema),
    updateContact: (id: string, body: { custom_attributes: Record<string, string | number | boolean | null> }) =>
      send("PUT", `/contacts/${encodeURIComponent(id)}`, contactSchema, body),
  };
}

export type IntercomClient = ReturnType<typeof createIntercomClient>;

/** A search read on the worker thread: what to keep of each contact, and whether to read the next page early. */
interface ThreadRead {
  fields: ContactFields;
  readNext: boolean;
}

interface RequestFields {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the client reads of an answer besides its body (a fetch Response is one). */
type AnswerHead = Pick<Response, "ok" | "status" | "statusText" | "headers">;

/** An answer's status and headers, and its body as text, or already parsed (json). */
interface Answer {
  res: AnswerHead;
  text: string;
  json?: unknown;
}

async function inline(url: string, init: RequestFields, timeoutMs: number): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw transportError(timedOut, describe(err), timeoutMs);
  }
  return { res, text: await res.text() };
}

async function offThread(
  url: string,
  init: RequestFields,
  timeoutMs: number,
  fields: ContactFields,
  walk: { readNext: boolean; reserve: number },
): Promise<Answer> {
  const answer = await fetchOffThread(url, init, timeoutMs, fields, walk);
  if ("failure" in answer) throw transportError(answer.failure.timedOut, answer.failure.message, timeoutMs);
  const { status, statusText } = answer;
  const res: AnswerHead = { ok: status >= 200 && status < 300, status, statusText, headers: new Headers(answer.headers) };
  return "json" in answer ? { res, text: "", json: answer.json } : { res, text: answer.text };
}

function transportError(timedOut: boolean, detail: string, timeoutMs: number): IntercomError {
  return new IntercomError(
    timedOut ? "timeout" : "network",
    timedOut ? `Intercom did not answer within ${timeoutMs} ms` : `Could not reach Intercom: ${detail}`,
  );
}

function readRateLimit(res: AnswerHead): RateObservation {
  const header = (name: string) => {
    const raw = res.headers.get(name);
    const value = raw === null || raw.trim() === "" ? NaN : Number(raw);
    return Number.isFinite(value) ? value : undefined;
  };
  const reset = header("x-ratelimit-reset");
  return {
    status: res.status,
    limit: header("x-ratelimit-limit"),
    remaining: header("x-ratelimit-remaining"),
    resetAt: reset !== undefined && reset > 0 ? reset * 1000 : undefined,
  };
}

export function errorFromResponse(res: AnswerHead, text: string, rate: RateLimitState = {}): IntercomError {
  const kind = kindForStatus(res.status);
  const headerRequestId = res.headers.get("x-request-id") ?? undefined;
  // Gateways answer with HTML pages: classify by status first, read the body only when it is JSON.
  let code: string | undefined;
  let message = `Intercom answered ${res.status}`;
  let requestId = headerRequestId;
  try {
    const body = errorBodySchema.safeParse(JSON.parse(text));
    if (body.success) {
      const first = body.data.errors[0];
      code = first?.code;
      // Intercom's text ends up in delivery and run records: keep it storable.
      message = storableText(first?.message ? `${first.message} (${first.code})` : `Intercom error ${first?.code}`);
      requestId = body.data.request_id ?? headerRequestId;
    }
  } catch {
    message = `Intercom answered ${res.status} ${res.statusText || ""}`.trim() + " with a non-JSON body";
  }
  const retryAfterMs = kind === "rate_limited" ? rateLimitedWaitMs(rate.resetAt, Date.now()) : undefined;
  const canonicalId = kind === "gone" ? canonicalFromLink(res.headers.get("link")) : undefined;
  return new IntercomError(kind, message, { status: res.status, code, requestId, retryAfterMs, canonicalId });
}

/** `Link: </contacts/{id}>; rel="canonical"` names the contact a merged one now lives in. */
export function canonicalFromLink(link: string | null): string | undefined {
  const match = link?.match(/<[^>]*\/contacts\/([^>/?]+)>\s*;\s*rel="?canonical"?/i);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** (attempt - 1)) + jitter(250);
}

function describe(err: unknown) {
  if (err instanceof Error) return (err.cause instanceof Error ? err.cause.message : undefined) ?? err.message;
  return String(err);
}
