// The OAuth dance (API-NOTES §1): consent page on the app host, code exchange and uninstall on the
// API host. Authorization is a POST from the rendered page, so a bare GET can never grant access.

import { ApiError } from "./api-error";
import type { EmulatorContext } from "./emulator-context";
import { consentPage, errorPage } from "./html-pages";
import { isPlainObject } from "./http-io";
import { bodyObject, html, json, redirect, type Incoming, type Reply } from "./reply";

function withParams(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

function resolveRedirect(ctx: EmulatorContext, requested: string | null | undefined): string | undefined {
  const allowed = ctx.settings.redirectUris;
  if (!requested) return allowed[0];
  if (allowed.length > 0 && !allowed.includes(requested)) return undefined;
  try {
    const url = new URL(requested);
    return url.protocol === "http:" || url.protocol === "https:" ? requested : undefined;
  } catch {
    return undefined;
  }
}

export function showConsent(ctx: EmulatorContext, req: Incoming): Reply {
  const clientId = req.query.get("client_id");
  if (clientId !== ctx.settings.clientId) {
    return html(errorPage("App not found", "We couldn't find an app with that client_id. Check the install link."), 400);
  }
  const redirectUri = resolveRedirect(ctx, req.query.get("redirect_uri"));
  if (!redirectUri) {
    return html(errorPage("Invalid redirect URL", "The redirect_uri is not one of this app's redirect URLs."), 400);
  }
  const state = req.query.get("state") ?? "";
  const denyParams = new URLSearchParams({ client_id: clientId, state, redirect_uri: redirectUri });
  return html(
    consentPage({
      workspaceName: ctx.workspace.name,
      workspaceId: ctx.workspace.id,
      appName: ctx.settings.appName,
      adminEmail: ctx.admin.email,
      clientId,
      state,
      redirectUri,
      consent: ctx.tokens.issueConsent(),
      denyHref: `/oauth/deny?${denyParams.toString()}`,
    }),
  );
}

export function authorize(ctx: EmulatorContext, req: Incoming): Reply {
  const form = bodyObject(req.body);
  const field = (k: string) => (isPlainObject(form) && typeof form[k] === "string" ? (form[k] as string) : "");
  if (field("client_id") !== ctx.settings.clientId) {
    return html(errorPage("App not found", "We couldn't find an app with that client_id."), 400);
  }
  const redirectUri = resolveRedirect(ctx, field("redirect_uri"));
  if (!redirectUri) return html(errorPage("Invalid redirect URL", "The redirect_uri is not allowed."), 400);
  if (!ctx.tokens.takeConsent(field("consent"))) {
    return html(errorPage("Consent expired", "Open the install link again to authorize this app."), 400);
  }
  const code = ctx.tokens.issueCode(ctx.settings.clientId);
  return redirect(withParams(redirectUri, { code, state: field("state") }));
}

/** The denied-consent callback shape is undocumented; `error=access_denied` is the OAuth norm. */
export function deny(ctx: EmulatorContext, req: Incoming): Reply {
  const redirectUri = resolveRedirect(ctx, req.query.get("redirect_uri"));
  if (req.query.get("client_id") !== ctx.settings.clientId || !redirectUri) {
    return html(errorPage("App not found", "We couldn't find an app with that client_id."), 400);
  }
  return redirect(withParams(redirectUri, { error: "access_denied", state: req.query.get("state") ?? "" }));
}

export function exchangeToken(ctx: EmulatorContext, req: Incoming): Reply {
  const body = bodyObject(req.body);
  const field = (k: string) => (isPlainObject(body) && typeof body[k] === "string" ? (body[k] as string) : "");
  const unauthorized = () => new ApiError(401, "unauthorized", "Unauthorized Code");
  if (field("client_id") !== ctx.settings.clientId || field("client_secret") !== ctx.settings.clientSecret) {
    throw unauthorized();
  }
  const token = ctx.tokens.redeemCode(field("code"), field("client_id"));
  if (!token) throw unauthorized();
  return json({ token_type: "Bearer", token, access_token: token });
}

export function uninstall(ctx: EmulatorContext, req: Incoming): Reply {
  if (req.token) ctx.tokens.revoke(req.token);
  return json({});
}
