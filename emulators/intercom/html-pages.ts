// Pages of the fake "app host" (app.intercom.com): OAuth consent and the contact deep link.
// They only need to look plausible in a browser test and be easy to drive with Playwright.

import type { ContactObject, CustomValue } from "./types";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const STYLE = `
  *{box-sizing:border-box}
  body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
    background:#f4f5f7;color:#1a1a1a;line-height:1.45}
  header{display:flex;align-items:center;gap:10px;padding:14px 24px;background:#fff;border-bottom:1px solid #e6e6e6}
  .logo{width:28px;height:28px;border-radius:7px;background:#1a1a1a;display:grid;place-items:center}
  .logo span{display:block;width:14px;height:10px;border-bottom:3px solid #fff;border-radius:0 0 8px 8px}
  .brand{font-weight:600;font-size:15px}
  main{max-width:560px;margin:48px auto;padding:0 16px}
  .card{background:#fff;border:1px solid #e3e3e3;border-radius:12px;padding:28px 32px;box-shadow:0 1px 2px rgba(0,0,0,.04)}
  h1{font-size:21px;margin:0 0 6px}
  p.sub{color:#5c5c5c;margin:0 0 20px}
  ul.perms{margin:0 0 24px;padding:0;list-style:none;border-top:1px solid #eee}
  ul.perms li{padding:10px 0;border-bottom:1px solid #eee;font-size:14px}
  ul.perms li::before{content:"✓";color:#0a7d47;font-weight:700;margin-right:10px}
  .actions{display:flex;align-items:center;gap:16px}
  button.primary{background:#0057ff;color:#fff;border:0;border-radius:8px;padding:10px 18px;font-size:15px;font-weight:600;cursor:pointer}
  button.primary:hover{background:#0047d1}
  a{color:#0057ff}
  .muted{color:#6b6b6b;font-size:13px}
  .ws{display:inline-block;background:#eef3ff;color:#0041c2;border-radius:6px;padding:2px 8px;font-weight:600}
  dl{display:grid;grid-template-columns:180px 1fr;gap:8px 16px;margin:0}
  dt{color:#6b6b6b;font-size:14px}dd{margin:0;font-size:14px;word-break:break-word}
  h2{font-size:15px;margin:24px 0 10px}
  .badge{display:inline-block;font-size:12px;border-radius:10px;padding:1px 8px;background:#f0f0f0;margin-left:8px;vertical-align:middle}
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><div class="logo" aria-hidden="true"><span></span></div><div class="brand">Intercom</div>
<div class="muted" style="margin-left:auto">Local emulator</div></header>
<main>${body}</main></body></html>`;
}

export interface ConsentPageInput {
  workspaceName: string;
  workspaceId: string;
  appName: string;
  adminEmail: string;
  clientId: string;
  state: string;
  redirectUri: string;
  consent: string;
  denyHref: string;
}

export function consentPage(i: ConsentPageInput): string {
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  return layout(
    `Authorize ${i.appName} | Intercom`,
    `<div class="card">
  <h1>${escapeHtml(i.appName)} would like to access your Intercom workspace</h1>
  <p class="sub">Workspace <span class="ws" data-testid="workspace-name">${escapeHtml(i.workspaceName)}</span>
    <span class="muted">(${escapeHtml(i.workspaceId)})</span>. Signed in as ${escapeHtml(i.adminEmail)}.</p>
  <ul class="perms">
    <li>Read admins and the workspace</li>
    <li>Read and write users and companies</li>
    <li>Read and write data attributes</li>
  </ul>
  <form method="post" action="/oauth/authorize" class="actions">
    ${hidden("client_id", i.clientId)}${hidden("state", i.state)}${hidden("redirect_uri", i.redirectUri)}${hidden("consent", i.consent)}
    <button type="submit" class="primary">Authorize access</button>
    <a href="${escapeHtml(i.denyHref)}">Cancel</a>
  </form>
  <p class="muted" style="margin-top:20px">You can remove this app at any time from your workspace settings.</p>
</div>`,
  );
}

export function errorPage(title: string, message: string): string {
  return layout(
    `${title} | Intercom`,
    `<div class="card"><h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(message)}</p></div>`,
  );
}

function formatValue(value: CustomValue, isDate: boolean): string {
  if (value === null) return "—";
  if (isDate && typeof value === "number") return new Date(value * 1000).toISOString().slice(0, 10);
  return String(value);
}

export function contactPage(
  contact: ContactObject,
  workspaceName: string,
  dateAttributes: ReadonlySet<string>,
): string {
  const display = contact.name ?? contact.email ?? "Unnamed lead";
  const custom = Object.entries(contact.custom_attributes)
    .map(
      ([k, v]) =>
        `<dt>${escapeHtml(k)}</dt><dd data-attribute="${escapeHtml(k)}">${escapeHtml(formatValue(v, dateAttributes.has(k)))}</dd>`,
    )
    .join("");
  return layout(
    `${display} | ${workspaceName} | Intercom`,
    `<div class="card">
  <h1 data-testid="contact-name">${escapeHtml(display)}<span class="badge">${contact.role === "user" ? "User" : "Lead"}</span></h1>
  <p class="sub" data-testid="contact-email">${escapeHtml(contact.email ?? "No email")}</p>
  <dl>
    <dt>Intercom id</dt><dd data-testid="contact-id">${escapeHtml(contact.id)}</dd>
    <dt>User ID</dt><dd>${escapeHtml(contact.external_id ?? "—")}</dd>
    <dt>Last updated</dt><dd>${new Date(contact.updated_at * 1000).toISOString()}</dd>
  </dl>
  <h2>Custom attributes</h2>
  <dl>${custom || "<dt>None</dt><dd></dd>"}</dl>
  <h2>All conversations</h2><p class="muted">No conversations yet.</p>
</div>`,
  );
}
