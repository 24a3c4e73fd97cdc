// A stateful fake Intercom on one port: the API host, the app host (OAuth consent, deep links) and
// /_emulator control endpoints. It imports nothing from the app, so the app is tested against an
// independent reading of the Intercom docs.

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, errorBody } from "./api-error";
import { routeApi } from "./api-routes";
import { matchDeepLink, showContactPage } from "./app-host-routes";
import { handleControl } from "./control-routes";
import { isValidTimeZone } from "./day-boundaries";
import { EmulatorContext, type EmulatorSettings } from "./emulator-context";
import type { FaultRule, Faults } from "./faults";
import { parseBody, readRawBody, sendHtml, sendJson, sendRedirect } from "./http-io";
import { authorize, deny, exchangeToken, showConsent } from "./oauth-routes";
import { json, type Incoming, type Reply } from "./reply";
import { maskAuthorization, type RequestLogEntry } from "./request-log";
import type { EmulatorStore } from "./store";
import type { WebhookDelivery, WebhookState } from "./webhook-sender";
import type { Region, WorkspaceInfo } from "./types";
import { loadWorkspaceFile } from "./workspace-file";

export type { RequestLogEntry } from "./request-log";
export type { FaultRule, HangRule, Faults } from "./faults";
export type { EmulatorStore, ContactPatch, CreateContactInput, ContactEvent, ActivityOptions, ActivityResult } from "./store";
export type { WebhookDelivery, WebhookState, WebhookStatus } from "./webhook-sender";
export type { ContactObject, DataAttributeObject, StoredContact, WorkspaceInfo } from "./types";
export {
  SEEDED_MERGE,
  SHARED_LEAD_USER_EMAIL,
  seededContactEmail,
  seededContactExternalId,
  seededContactRole,
} from "./seed-rules";

export interface EmulatorOptions {
  /** 0 = any free port. */
  port?: number;
  host?: string;
  seed?: number;
  contactCount?: number;
  workspace?: { id?: string; name?: string; region?: Region; timezone?: string };
  clientId?: string;
  clientSecret?: string;
  /** Requests allowed per 10-second window (10,000/min public-app budget = 1666). */
  rateLimitPerWindow?: number;
  /** JSON `{workspace?, data_attributes: [...], contacts: [...]}` to load instead of generating. */
  workspaceFile?: string;
  /** Contacts created less than this many seconds ago are invisible to search. */
  searchIndexLagSeconds?: number;
  /** Reject string custom attribute values longer than this (the 255 limit is unverified). */
  maxStringLength?: number;
  /** Restrict /oauth redirect_uri to these; when empty any http(s) URL is accepted. */
  redirectUris?: string[];
  /** Version assumed when a request sends no Intercom-Version header. */
  defaultVersion?: string;
  now?: () => number;
  log?: boolean;
  /** Where to POST webhook notifications (also settable at run time). */
  webhookUrl?: string;
  /** Default true: send whenever a URL is set. */
  webhooksEnabled?: boolean;
  /** Delay before the single retry of a failed delivery; Intercom waits 1 minute. */
  webhookRetryDelayMs?: number;
  /** How long a receiver has to answer; default 5000 like Intercom. */
  webhookTimeoutMs?: number;
  /** Webhook requests in flight at once; default 16. */
  webhookConcurrency?: number;
}

/** In-process control of the outbound webhooks (the same as /_emulator/webhooks*). */
export interface WebhookControl {
  /** Set or (null) remove the subscription URL; a new URL lifts a 410 disablement. */
  setUrl(url: string | null): void;
  configure(options: { url?: string | null; enabled?: boolean; retryDelayMs?: number; timeoutMs?: number }): void;
  state(): WebhookState;
  ping(): WebhookDelivery | undefined;
  /** Queue `count` contact.user.updated notifications; returns how many were queued. */
  burst(count: number): number;
  /** Resolves when nothing is queued, in flight or waiting for a retry. */
  idle(): Promise<void>;
}

export interface RunningEmulator {
  url: string;
  port: number;
  workspace: WorkspaceInfo;
  clientId: string;
  clientSecret: string;
  store: EmulatorStore;
  faults: Faults;
  /** Live log of API and app-host requests (control endpoints are not logged). */
  requests: RequestLogEntry[];
  tokens: { issueToken(): string; revokeAll(): void };
  issueToken(): string;
  revokeAll(): void;
  configure(settings: { rateLimitPerWindow?: number; searchIndexLagSeconds?: number; maxStringLength?: number | null; meReportsTimezone?: boolean }): void;
  clearRequests(): void;
  /** Live log of webhook deliveries, oldest first. */
  webhookDeliveries: WebhookDelivery[];
  webhooks: WebhookControl;
  reset(options?: { tokens?: boolean }): void;
  close(): Promise<void>;
}

export const DEFAULT_CLIENT_ID = "holdfast-dev-client";
export const DEFAULT_CLIENT_SECRET = "holdfast-dev-secret";
export const DEFAULT_WORKSPACE = {
  id: "ws_demo1",
  name: "Acme Demo",
  region: "US" as Region,
  // Not UTC on purpose: day truncation in search must follow the workspace timezone.
  timezone: "America/New_York",
};

const SUPPORTED_VERSIONS = new Set([
  "1.0", "1.1", "1.2", "1.3", "1.4",
  ...Array.from({ length: 17 }, (_, i) => `2.${i}`),
  "Unstable",
]);
// Real responses carry a build hash here, not the API version.
const BUILD_HASH = "3736ab53e0c1emulator";

export async function startIntercomEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const nowMs = opts.now ?? Date.now;
  const file = opts.workspaceFile ? loadWorkspaceFile(opts.workspaceFile) : undefined;
  const ws = { ...DEFAULT_WORKSPACE, ...file?.workspace, ...opts.workspace };
  if (!isValidTimeZone(ws.timezone)) throw new Error(`Unknown timezone ${ws.timezone}`);
  const workspace: WorkspaceInfo = { ...ws, createdAt: 1_672_531_200 };
  const settings: EmulatorSettings = {
    clientId: opts.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: opts.clientSecret ?? DEFAULT_CLIENT_SECRET,
    appName: "Holdfast",
    redirectUris: opts.redirectUris ?? [],
    searchIndexLagSeconds: opts.searchIndexLagSeconds ?? 0,
    meReportsTimezone: true,
    maxStringLength: opts.maxStringLength,
    caseInsensitiveEmail: true,
    defaultVersion: opts.defaultVersion ?? "2.16",
    log: opts.log ?? false,
  };
  const ctx = new EmulatorContext(
    workspace,
    { id: "991267459", name: "Dana Admin", email: "dana.admin@acme-demo.example" },
    settings,
    nowMs,
    { seed: opts.seed ?? 1, contactCount: opts.contactCount ?? 3000, file },
    opts.rateLimitPerWindow ?? 1666,
    {
      url: opts.webhookUrl,
      enabled: opts.webhooksEnabled,
      retryDelayMs: opts.webhookRetryDelayMs,
      timeoutMs: opts.webhookTimeoutMs,
      concurrency: opts.webhookConcurrency,
    },
  );

  const closing = new AbortController();
  const server = createServer((req, res) => {
    handleRequest(ctx, req, res, closing.signal).catch((err: unknown) => {
      console.error("[intercom-emulator] unhandled", err);
      if (!res.headersSent) sendJson(res, 500, errorBody(randomUUID(), "server_error", "Server Error"));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? "127.0.0.1";

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    workspace,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    store: ctx.store,
    faults: ctx.faults,
    requests: ctx.requestLog.entries,
    tokens: { issueToken: () => ctx.tokens.issueToken(), revokeAll: () => ctx.tokens.revokeAll() },
    issueToken: () => ctx.tokens.issueToken(),
    revokeAll: () => ctx.tokens.revokeAll(),
    configure: (s) => {
      if (s.rateLimitPerWindow !== undefined) ctx.rateLimiter.limit = s.rateLimitPerWindow;
      if (s.searchIndexLagSeconds !== undefined) settings.searchIndexLagSeconds = s.searchIndexLagSeconds;
      if (s.maxStringLength !== undefined) settings.maxStringLength = s.maxStringLength ?? undefined;
      if (s.meReportsTimezone !== undefined) settings.meReportsTimezone = s.meReportsTimezone;
    },
    clearRequests: () => ctx.requestLog.clear(),
    webhookDeliveries: ctx.webhooks.deliveries,
    webhooks: {
      setUrl: (url) => ctx.webhooks.configure({ url }),
      configure: (o) => ctx.webhooks.configure(o),
      state: () => ctx.webhooks.state(),
      ping: () => ctx.webhooks.ping(),
      burst: (count) => ctx.burstWebhooks(count),
      idle: () => ctx.webhooks.idle(),
    },
    reset: (o) => ctx.reset(o),
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        ctx.webhooks.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handleRequest(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  closing: AbortSignal,
): Promise<void> {
  const startedAt = ctx.nowMs();
  const startedReal = performance.now();
  const requestId = randomUUID();
  const url = new URL(req.url ?? "/", "http://emulator.local");
  const method = (req.method ?? "GET").toUpperCase();
  const path = url.pathname;
  let raw = "";
  try {
    raw = await readRawBody(req);
  } catch {
    sendJson(res, 413, errorBody(requestId, "parameter_invalid", "Request body too large"), { "X-Request-Id": requestId });
    return;
  }
  const incoming: Incoming = {
    method,
    path,
    query: url.searchParams,
    body: parseBody(raw, req.headers["content-type"]),
    headers: req.headers,
    requestId,
  };

  if (path === "/_emulator" || path.startsWith("/_emulator/")) {
    render(res, handleControl(ctx, incoming), {});
    return;
  }

  const hang = ctx.faults.takeHang(method, path);
  if (hang) await sleep(hang.ms, closing);
  if (closing.aborted) return;

  const extraHeaders: Record<string, string> = { "X-Request-Id": requestId };
  let reply: Reply;
  try {
    reply = route(ctx, incoming, extraHeaders);
  } catch (err) {
    if (err instanceof ApiError) {
      reply = json(errorBody(requestId, err.code, err.message), err.status, err.headers);
    } else {
      console.error("[intercom-emulator] handler failed", err);
      reply = json(errorBody(requestId, "server_error", "Server Error"), 500);
    }
  }
  render(res, reply, extraHeaders);

  const status = reply.kind === "redirect" ? 302 : reply.status;
  const versionHeader = headerValue(req.headers["intercom-version"]);
  ctx.requestLog.add({
    requestId,
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    body: incoming.body.kind === "json" || incoming.body.kind === "form" ? incoming.body.value : incoming.body.kind === "invalid" ? raw : null,
    status,
    headers: {
      authorization: maskAuthorization(headerValue(req.headers.authorization)),
      accept: headerValue(req.headers.accept),
      "content-type": headerValue(req.headers["content-type"]),
      "intercom-version": versionHeader,
      "user-agent": headerValue(req.headers["user-agent"]),
    },
    intercomVersion: versionHeader ?? null,
    at: startedAt,
    durationMs: Math.round(performance.now() - startedReal),
  });
  if (ctx.settings.log) console.log(`[intercom-emulator] ${method} ${url.pathname}${url.search} -> ${status}`);
}

function route(ctx: EmulatorContext, req: Incoming, extraHeaders: Record<string, string>): Reply {
  const fault = ctx.faults.takeError(req.method, req.path);
  if (fault) return faultReply(ctx, fault, req.requestId, extraHeaders);

  // App host (app.intercom.com): browser pages, no API conventions.
  if (req.path === "/oauth" && req.method === "GET") return showConsent(ctx, req);
  if (req.path === "/oauth/authorize" && req.method === "POST") return authorize(ctx, req);
  if (req.path === "/oauth/deny" && req.method === "GET") return deny(ctx, req);
  const deepLink = req.method === "GET" ? matchDeepLink(req.path) : undefined;
  if (deepLink) return showContactPage(ctx, deepLink.workspaceId, deepLink.contactId);

  // Token exchange authenticates with the client secret, not a Bearer token.
  if (req.path === "/auth/eagle/token" && req.method === "POST") return exchangeToken(ctx, req);

  authenticate(ctx, req);
  checkAccept(req);
  checkVersion(req);
  const decision = ctx.rateLimiter.take();
  Object.assign(extraHeaders, decision.headers, { "X-Intercom-Version": BUILD_HASH });
  if (!decision.allowed) {
    throw new ApiError(429, "rate_limit_exceeded", `Exceeded rate limit of ${ctx.rateLimiter.limit} in 10_seconds`);
  }
  return routeApi(ctx, req);
}

function authenticate(ctx: EmulatorContext, req: Incoming): void {
  const header = headerValue(req.headers.authorization) ?? "";
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  const status = token ? ctx.tokens.status(token) : "unknown";
  if (status === "revoked") throw new ApiError(401, "token_revoked", "The token or API Key has been revoked");
  if (status !== "active" || !token) throw new ApiError(401, "unauthorized", "Access Token Invalid");
  req.token = token;
}

function checkAccept(req: Incoming): void {
  const accept = headerValue(req.headers.accept);
  const ok =
    accept !== undefined &&
    accept.split(",").some((part) => {
      const type = part.split(";")[0]?.trim().toLowerCase();
      return type === "application/json" || type === "application/*" || type === "*/*";
    });
  if (!ok) throw new ApiError(406, "unsupported", "The Accept header must allow application/json");
}

function checkVersion(req: Incoming): void {
  const version = headerValue(req.headers["intercom-version"]);
  if (version !== undefined && !SUPPORTED_VERSIONS.has(version)) {
    throw new ApiError(400, "intercom_version_invalid", `Intercom-Version '${version}' is not a supported version`);
  }
}

function faultReply(ctx: EmulatorContext, fault: FaultRule, requestId: string, extraHeaders: Record<string, string>): Reply {
  switch (fault.status) {
    case 429:
      Object.assign(extraHeaders, ctx.rateLimiter.exhaustedHeaders());
      return json(
        errorBody(requestId, "rate_limit_exceeded", `Exceeded rate limit of ${ctx.rateLimiter.limit} in 10_seconds`),
        429,
      );
    case 500:
      return json(errorBody(requestId, "server_error", "Server Error"), 500);
    case 503:
      return json(errorBody(requestId, "service_unavailable", "Sorry, the API service is temporarily unavailable"), 503);
    case 502:
    case 504: {
      // Gateways answer with their own HTML page, not Intercom's JSON envelope (traps C19).
      const title = fault.status === 502 ? "502 Bad Gateway" : "504 Gateway Time-out";
      return {
        kind: "html",
        status: fault.status,
        html: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
      };
    }
  }
}

function render(res: ServerResponse, reply: Reply, headers: Record<string, string>): void {
  if (reply.kind === "redirect") sendRedirect(res, reply.location, headers);
  else if (reply.kind === "html") sendHtml(res, reply.status, reply.html, { ...headers, ...reply.headers });
  else sendJson(res, reply.status, reply.body, { ...headers, ...reply.headers });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
