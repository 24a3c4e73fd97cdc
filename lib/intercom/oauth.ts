import { env } from "@/lib/env";
import { errorFromResponse } from "./client";
import { IntercomError } from "./errors";
import { apiBaseUrl, appBaseUrl, tokenUrl, type Region } from "./hosts";
import { tokenResponseSchema } from "./schemas";

export function oauthRedirectUri(): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/api/integrations/intercom/callback`;
}

/** Intercom takes no scope parameter: permissions are fixed on the app in the Developer Hub. */
export function authorizeUrl(state: string): string {
  const url = new URL(`${appBaseUrl("US")}/oauth`);
  url.searchParams.set("client_id", env().INTERCOM_CLIENT_ID);
  url.searchParams.set("state", state);
  url.searchParams.set("redirect_uri", oauthRedirectUri());
  return url.toString();
}

export async function exchangeCode(code: string): Promise<string> {
  const { INTERCOM_CLIENT_ID, INTERCOM_CLIENT_SECRET, INTERCOM_TIMEOUT_MS } = env();
  let res: Response;
  try {
    res = await fetch(tokenUrl(), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({ code, client_id: INTERCOM_CLIENT_ID, client_secret: INTERCOM_CLIENT_SECRET }),
      signal: AbortSignal.timeout(INTERCOM_TIMEOUT_MS),
    });
  } catch (err) {
    throw new IntercomError("network", `Could not reach Intercom to finish connecting: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw errorFromResponse(res, text);
  const parsed = tokenResponseSchema.safeParse(safeJson(text));
  const token = parsed.success ? (parsed.data.access_token ?? parsed.data.token) : undefined;
  if (!token) throw new IntercomError("bad_response", "Intercom's token response had no access token");
  return token;
}

/** Revokes the token and uninstalls the app; a 401 means it was already gone, which is the goal. */
export async function uninstall(token: string, region: Region): Promise<void> {
  const res = await fetch(`${apiBaseUrl(region)}/auth/uninstall`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, Accept: "application/json", "Content-Type": "application/json" },
    signal: AbortSignal.timeout(env().INTERCOM_TIMEOUT_MS),
  });
  if (!res.ok && res.status !== 401) throw errorFromResponse(res, await res.text());
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
