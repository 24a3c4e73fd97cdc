// Everything a request handler can reach. One instance per running emulator.

import { Faults } from "./faults";
import { RateLimiter } from "./rate-limiter";
import { RequestLog } from "./request-log";
import { seedContacts, seedCustomAttributes } from "./seed-workspace";
import { EmulatorStore, type WorkspaceData } from "./store";
import { TokenRegistry } from "./token-registry";
import type { AdminInfo, WorkspaceInfo } from "./types";
import type { LoadedWorkspaceFile } from "./workspace-file";

export interface EmulatorSettings {
  clientId: string;
  clientSecret: string;
  appName: string;
  /** When set, /oauth only accepts these redirect URIs (and uses the first when none is given). */
  redirectUris: string[];
  searchIndexLagSeconds: number;
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

  constructor(
    readonly workspace: WorkspaceInfo,
    readonly admin: AdminInfo,
    readonly settings: EmulatorSettings,
    readonly nowMs: () => number,
    private readonly source: SeedSource,
    rateLimitPerWindow: number,
  ) {
    this.store = new EmulatorStore(workspace, admin, nowMs, this.buildData());
    this.tokens = new TokenRegistry(nowMs);
    this.rateLimiter = new RateLimiter(rateLimitPerWindow, nowMs);
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
      contacts: seedContacts({
        seed: this.source.seed,
        contactCount: this.source.contactCount,
        workspaceId: this.workspace.id,
        anchor,
      }),
    };
  }

  /** Back to the initial workspace; tokens survive unless asked, like an install outliving data. */
  reset(options: { tokens?: boolean } = {}): void {
    this.store.load(this.buildData());
    this.faults.clear();
    this.requestLog.clear();
    this.rateLimiter.reset();
    if (options.tokens) this.tokens.clear();
  }
}
