import { env } from "@/lib/env";

export type Region = "US" | "EU" | "AU";

const API_HOSTS: Record<Region, string> = {
  US: "https://api.intercom.io",
  EU: "https://api.eu.intercom.io",
  AU: "https://api.au.intercom.io",
};

const APP_HOSTS: Record<Region, string> = {
  US: "https://app.intercom.com",
  EU: "https://app.eu.intercom.com",
  AU: "https://app.au.intercom.com",
};

/** /me documents only "US"; anything unknown is treated as US, as Intercom's own host does. */
export function parseRegion(value: string | null | undefined): Region {
  const upper = (value ?? "").toUpperCase();
  return upper === "EU" || upper === "AU" ? upper : "US";
}

// INTERCOM_API_URL / INTERCOM_APP_URL replace the host for every region (emulator, stand-ins).
export function apiBaseUrl(region: Region = "US"): string {
  return trimSlash(env().INTERCOM_API_URL ?? API_HOSTS[region]);
}

export function appBaseUrl(region: Region = "US"): string {
  return trimSlash(env().INTERCOM_APP_URL ?? APP_HOSTS[region]);
}

/** The token exchange lives on the US API host for every region (api.intercom.io self-routes). */
export function tokenUrl(): string {
  return `${apiBaseUrl("US")}/auth/eagle/token`;
}

export function contactDeepLink(region: Region, workspaceId: string, contactId: string): string {
  return `${appBaseUrl(region)}/a/apps/${encodeURIComponent(workspaceId)}/users/${encodeURIComponent(contactId)}/all-conversations`;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
