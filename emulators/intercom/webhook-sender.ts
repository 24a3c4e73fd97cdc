// Outbound webhooks as API-NOTES §5 describes them: notification_event envelopes signed with the
// app's client secret (X-Hub-Signature over the raw body), 5 s to answer, one retry after a
// failure, 410 disables the subscription. Sending runs off a queue with bounded concurrency, so a
// notification never delays the API response that caused it.

import { createHmac, randomUUID } from "node:crypto";
import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export type WebhookStatus =
  | "queued"
  | "sending"
  | "retry_scheduled"
  | "delivered"
  /** Failed twice (or once, then the retry failed). */
  | "failed"
  /** The receiver answered 429; Intercom would delay the subscription, the emulator drops it. */
  | "throttled"
  /** The receiver answered 410: the subscription is disabled. */
  | "gone"
  /** Not sent: the subscription was disabled or unset while it waited. */
  | "dropped";

export interface WebhookDelivery {
  /** The envelope id (`notif_<uuid>`); pings get a log-only `ping_<uuid>` (their envelope id is null). */
  id: string;
  topic: string;
  status: WebhookStatus;
  attempts: number;
  /** HTTP status of the last attempt; null after a timeout or network error. */
  responseStatus: number | null;
  error: string | null;
  /** Unix seconds (emulator clock). */
  createdAt: number;
  firstSentAt: number | null;
}

export interface WebhookOptions {
  url?: string;
  /** Default true; false keeps the URL but sends nothing. */
  enabled?: boolean;
  /** Delay before the single retry; Intercom waits 1 minute. */
  retryDelayMs?: number;
  /** How long the receiver has to answer; Intercom gives 5 s. */
  timeoutMs?: number;
  /** Requests in flight at once. */
  concurrency?: number;
}

export interface WebhookState {
  url: string | null;
  enabled: boolean;
  /** Why sending stopped (a 410), or null. */
  disabledReason: string | null;
  retryDelayMs: number;
  timeoutMs: number;
  concurrency: number;
  pending: number;
  inFlight: number;
}

interface Job {
  delivery: WebhookDelivery;
  envelopeId: string | null;
  item: object;
}

const MAX_LOG_ENTRIES = 100_000;
const PING_ITEM = { type: "ping", message: "something something interzen" };

export class WebhookSender {
  /** Live delivery log, oldest first (capped at 100k entries). */
  readonly deliveries: WebhookDelivery[] = [];
  private url: string | null;
  private enabled: boolean;
  private disabledReason: string | null = null;
  private retryDelayMs: number;
  private timeoutMs: number;
  private concurrency: number;
  private queue: Job[] = [];
  private queueHead = 0;
  private inFlight = 0;
  private pumpScheduled = false;
  private closed = false;
  private readonly retries = new Map<NodeJS.Timeout, Job>();
  private readonly requests = new Set<ClientRequest>();
  private idleWaiters: Array<() => void> = [];
  private httpAgent: HttpAgent;
  private httpsAgent: HttpsAgent;

  constructor(
    private readonly appId: string,
    private readonly clientSecret: string,
    private readonly nowMs: () => number,
    options: WebhookOptions = {},
  ) {
    this.url = options.url ?? null;
    this.enabled = options.enabled ?? true;
    this.retryDelayMs = options.retryDelayMs ?? 60_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.concurrency = options.concurrency ?? 16;
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets: this.concurrency });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: this.concurrency });
  }

  state(): WebhookState {
    return {
      url: this.url,
      enabled: this.enabled,
      disabledReason: this.disabledReason,
      retryDelayMs: this.retryDelayMs,
      timeoutMs: this.timeoutMs,
      concurrency: this.concurrency,
      pending: this.queue.length - this.queueHead + this.retries.size,
      inFlight: this.inFlight,
    };
  }

  /** Sets (or with null, removes) the subscription URL. A new URL clears a 410 disablement. */
  configure(options: { url?: string | null; enabled?: boolean; retryDelayMs?: number; timeoutMs?: number }): void {
    if (options.url !== undefined) {
      if (options.url !== null) assertHttpUrl(options.url);
      this.url = options.url;
      this.disabledReason = null;
      if (options.url === null) this.dropPending();
    }
    if (options.enabled !== undefined) this.enabled = options.enabled;
    if (options.retryDelayMs !== undefined) this.retryDelayMs = options.retryDelayMs;
    if (options.timeoutMs !== undefined) this.timeoutMs = options.timeoutMs;
  }

  /** True when notifications are being sent. */
  isActive(): boolean {
    return this.url !== null && this.enabled && this.disabledReason === null && !this.closed;
  }

  /** Queues one notification; returns its log entry, or undefined when nothing is subscribed. */
  notify(topic: string, item: object): WebhookDelivery | undefined {
    if (!this.isActive()) return undefined;
    const id = `notif_${randomUUID()}`;
    return this.enqueue({ delivery: this.newDelivery(id, topic), envelopeId: id, item });
  }

  /** The ping Intercom sends from the Developer Hub: envelope id and self are null. */
  ping(): WebhookDelivery | undefined {
    if (!this.isActive()) return undefined;
    return this.enqueue({ delivery: this.newDelivery(`ping_${randomUUID()}`, "ping"), envelopeId: null, item: PING_ITEM });
  }

  /** Resolves once nothing is queued, in flight or waiting to retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops the log and everything pending (emulator reset). */
  clear(): void {
    this.dropPending();
    this.deliveries.length = 0;
  }

  close(): void {
    this.closed = true;
    this.dropPending();
    for (const req of this.requests) req.destroy();
    this.requests.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private newDelivery(id: string, topic: string): WebhookDelivery {
    const delivery: WebhookDelivery = {
      id,
      topic,
      status: "queued",
      attempts: 0,
      responseStatus: null,
      error: null,
      createdAt: Math.floor(this.nowMs() / 1000),
      firstSentAt: null,
    };
    this.deliveries.push(delivery);
    if (this.deliveries.length > MAX_LOG_ENTRIES) this.deliveries.splice(0, this.deliveries.length - MAX_LOG_ENTRIES);
    return delivery;
  }

  private enqueue(job: Job): WebhookDelivery {
    this.queue.push(job);
    this.schedulePump();
    return job.delivery;
  }

  // Deferred so the request handler that caused the notification answers first.
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queueHead < this.queue.length) {
      const job = this.queue[this.queueHead++] as Job;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      if (!this.isActive() || this.url === null) {
        job.delivery.status = "dropped";
        continue;
      }
      this.inFlight++;
      void this.attempt(job, this.url).finally(() => {
        this.inFlight--;
        this.pump();
        this.settleIdle();
      });
    }
    this.settleIdle();
  }

  private async attempt(job: Job, url: string): Promise<void> {
    const d = job.delivery;
    d.attempts++;
    d.status = "sending";
    const nowSeconds = Math.floor(this.nowMs() / 1000);
    d.firstSentAt ??= nowSeconds;
    const body = JSON.stringify({
      type: "notification_event",
      id: job.envelopeId,
      app_id: this.appId,
      topic: d.topic,
      created_at: d.createdAt,
      delivery_attempts: d.attempts,
      first_sent_at: d.firstSentAt,
      data: { type: "notification_event_data", item: job.item },
      links: {},
      delivery_status: null,
      delivered_at: 0,
      self: null,
    });
    const outcome = await this.post(url, body);
    d.responseStatus = outcome.status;
    d.error = outcome.error;
    const status = outcome.status;
    if (status !== null && status >= 200 && status < 300) {
      d.status = "delivered";
    } else if (status === 410) {
      d.status = "gone";
      this.disabledReason = `the receiver answered 410 to ${d.id}`;
      this.dropPending();
    } else if (status === 429) {
      d.status = "throttled";
    } else if (d.attempts < 2 && this.isActive()) {
      d.status = "retry_scheduled";
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        this.queue.push(job);
        this.pump();
      }, this.retryDelayMs);
      timer.unref();
      this.retries.set(timer, job);
    } else {
      d.status = "failed";
    }
  }

  private post(url: string, body: string): Promise<{ status: number | null; error: string | null }> {
    const target = new URL(url);
    const https = target.protocol === "https:";
    const signature = `sha1=${createHmac("sha1", this.clientSecret).update(body, "utf8").digest("hex")}`;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (status: number | null, error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.requests.delete(req);
        resolve({ status, error });
      };
      const req = (https ? httpsRequest : httpRequest)(
        target,
        {
          method: "POST",
          agent: https ? this.httpsAgent : this.httpAgent,
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "User-Agent": "intercom-parrot-service-client/1.0",
            "X-Hub-Signature": signature,
            "Content-Length": Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          finish(res.statusCode ?? null, null);
        },
      );
      const timer = setTimeout(() => {
        finish(null, `no answer within ${this.timeoutMs} ms`);
        req.destroy();
      }, this.timeoutMs);
      req.on("error", (err) => finish(null, err.message));
      this.requests.add(req);
      req.end(body);
    });
  }

  private dropPending(): void {
    for (let i = this.queueHead; i < this.queue.length; i++) (this.queue[i] as Job).delivery.status = "dropped";
    this.queue = [];
    this.queueHead = 0;
    for (const [timer, job] of this.retries) {
      clearTimeout(timer);
      job.delivery.status = "dropped";
    }
    this.retries.clear();
    this.settleIdle();
  }

  private isIdle(): boolean {
    return this.queueHead >= this.queue.length && this.inFlight === 0 && this.retries.size === 0;
  }

  private settleIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function assertHttpUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`webhook url '${url}' is not a URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("webhook url must be http(s)");
}
