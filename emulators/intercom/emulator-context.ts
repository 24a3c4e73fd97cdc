// Everything a request handler can reach. One instance per running emulator.

import { Faults } from "./faults";
import { RateLimiter } from "./rate-limiter";
import { RequestLog } from "./request-log";
import { SeededContacts, seedCustomAttributes } from "./seed-workspace";
import { EmulatorStore, type WorkspaceData } from "./store";
import { TokenRegistry } from "./token-registry";
import type { AdminInfo, WorkspaceInfo } from "./types";
import { WebhookSender, type WebhookOptions } from "./webhook-sender";
import { notificationsFor } from "./webhook-topics";
import type { LoadedWorkspaceFile } from "./workspace-file";

export interface EmulatorSettings {
  clientId: string;
  clientSecret: string;
  appName: string;
  /** When set, /oauth only accepts these redirect URIs (and uses the first when none is given). */
  redirectUris: string[];
  searchIndexLagSeconds: number;
  /** Off: /me leaves out app.timezone (search still truncates days in the workspace zone). */
  meReportsTimezone: boolean;
  maxStringLength: number | undefined;
  caseInsensitiveEmail: boolean;
  /** Version used when a request sends no Intercom-Version (the app's Developer Hub setting). */
  defaultVersion: string;
  log: boolean;
}

export interface SeedSource {
  seed: number;
  contactCount: number;
  file: LoadedWorkspaceFile | undefined;
}

export class EmulatorContext {
  readonly store: EmulatorStore;
  readonly tokens: TokenRegistry;
  readonly faults = new Faults();
  readonly requestLog = new RequestLog();
  readonly rateLimiter: RateLimiter;
  readonly webhooks: WebhookSender;

  constructor(
    readonly workspace: WorkspaceInfo,
    readonly admin: AdminInfo,
    readonly settings: EmulatorSettings,
    readonly nowMs: () => number,
    private readonly source: SeedSource,
    rateLimitPerWindow: number,
    webhookOptions: WebhookOptions = {},
  ) {
    this.store = new EmulatorStore(workspace, admin, nowMs, this.buildData());
    this.tokens = new TokenRegistry(nowMs);
    this.rateLimiter = new RateLimiter(rateLimitPerWindow, nowMs);
    this.webhooks = new WebhookSender(workspace.id, settings.clientSecret, nowMs, webhookOptions);
    this.store.onChange((event) => {
      if (!this.webhooks.isActive()) return;
      for (const { topic, item } of notificationsFor(event)) this.webhooks.notify(topic, item);
    });
  }

  /**
   * Queues `count` contact.user.updated notifications about active users (cycling through them),
   * for load tests of a receiver. Returns how many were queued.
   */
  burstWebhooks(count: number): number {
    if (!this.webhooks.isActive()) return 0;
    const stored = this.store.counts().stored;
    let queued = 0;
    for (let n = 1, misses = 0; queued < count && misses < stored; n = (n % stored) + 1) {
      const record = this.store.contactAt(n);
      if (record.state !== "active" || record.contact.role !== "user") {
        misses++;
        continue;
      }
      misses = 0;
      this.webhooks.notify("contact.user.updated", structuredClone(record.contact));
      queued++;
    }
    return queued;
  }

  /** Seeded data is anchored to the start of the current UTC day, so a given day's runs agree. */
  private buildData(): WorkspaceData {
    const nowSeconds = Math.floor(this.nowMs() / 1000);
    if (this.source.file) {
      return this.source.file.build({ workspaceId: this.workspace.id, adminId: this.admin.id, nowSeconds });
    }
    const anchor = nowSeconds - (nowSeconds % 86_400);
    return {
      customAttributes: seedCustomAttributes(anchor, this.admin.id),
      generated: new SeededContacts({
        seed: this.source.seed,
        contactCount: this.source.contactCount,
        workspaceId: this.workspace.id,
        anchor,
      }),
      contacts: [],
    };
  }

  /** Back to the initial workspace; tokens survive unless asked, like an install outliving data. */
  reset(options: { tokens?: boolean } = {}): void {
    this.store.load(this.buildData());
    this.faults.clear();
    this.requestLog.clear();
    this.rateLimiter.reset();
    this.webhooks.clear();
    if (options.tokens) this.tokens.clear();
  }
}
