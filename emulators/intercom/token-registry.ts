// OAuth codes and access tokens. Tokens never expire (API-NOTES §1.2); they only die when revoked.

import { randomBytes, randomUUID } from "node:crypto";

const CODE_TTL_MS = 5 * 60 * 1000;
const CONSENT_TTL_MS = 30 * 60 * 1000;

export type TokenStatus = "active" | "revoked" | "unknown";

interface CodeGrant {
  clientId: string;
  expiresAtMs: number;
  used: boolean;
}

export class TokenRegistry {
  private tokens = new Map<string, "active" | "revoked">();
  private codes = new Map<string, CodeGrant>();
  private consents = new Map<string, number>();

  constructor(private readonly nowMs: () => number) {}

  issueToken(): string {
    const token = Buffer.from(`tok:${randomUUID()}:${randomBytes(6).toString("hex")}`).toString("base64");
    this.tokens.set(token, "active");
    return token;
  }

  status(token: string): TokenStatus {
    return this.tokens.get(token) ?? "unknown";
  }

  revoke(token: string): void {
    if (this.tokens.has(token)) this.tokens.set(token, "revoked");
  }

  revokeAll(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, "revoked");
  }

  /** Like the real codes, these sometimes end in "=" (API-NOTES §1.1), a classic encoding trap. */
  issueCode(clientId: string): string {
    const code = randomBytes(15 + (this.codes.size % 3)).toString("base64url");
    const padded = code + "=".repeat((4 - (code.length % 4)) % 4);
    this.codes.set(padded, { clientId, expiresAtMs: this.nowMs() + CODE_TTL_MS, used: false });
    return padded;
  }

  /** Single use: a replayed, expired or foreign code yields undefined. */
  redeemCode(code: string, clientId: string): string | undefined {
    const grant = this.codes.get(code);
    if (!grant || grant.used || grant.clientId !== clientId) return undefined;
    grant.used = true;
    if (this.nowMs() > grant.expiresAtMs) return undefined;
    return this.issueToken();
  }

  /** A one-time nonce in the consent form, so only a rendered consent page can authorize. */
  issueConsent(): string {
    const nonce = randomBytes(16).toString("hex");
    this.consents.set(nonce, this.nowMs() + CONSENT_TTL_MS);
    return nonce;
  }

  takeConsent(nonce: string): boolean {
    const expires = this.consents.get(nonce);
    this.consents.delete(nonce);
    return expires !== undefined && this.nowMs() <= expires;
  }

  clear(): void {
    this.tokens.clear();
    this.codes.clear();
    this.consents.clear();
  }
}
