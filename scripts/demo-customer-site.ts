// A pretend customer of Holdfast ("Acme Notes"): its account page has a "Cancel subscription"
// button that opens the Holdfast widget. Like a real customer it signs the subscriber identity on
// its own server with the widget secret, using node:crypto only (nothing from Holdfast's code),
// so it also proves the documented signing recipe.
//   tsx scripts/demo-customer-site.ts   (env: HOLDFAST_APP_URL, HOLDFAST_PUBLIC_KEY,
//   HOLDFAST_WIDGET_SECRET, DEMO_SUBSCRIBERS="a@x.com,b@y.com", DEMO_SITE_PORT)
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

export interface DemoSubscriber {
  email: string;
  name?: string | null;
  externalId?: string | null;
}

export interface DemoCustomerSiteOptions {
  port?: number;
  host?: string;
  appUrl: string;
  publicKey: string;
  widgetSecret: string;
  subscribers: DemoSubscriber[];
}

/** The documented recipe: hex HMAC-SHA256 of "email" or "email:externalId" (email trimmed, lowercased). */
/** As a customer's server does it: the time of signing, then the identity (docs/widget.md). */
function signSubscriber(secret: string, s: DemoSubscriber, issuedAt: number) {
  const email = s.email.trim().toLowerCase();
  const signed = `${issuedAt}:${email}`;
  const payload = s.externalId ? `${signed}:${s.externalId}` : signed;
  return createHmac("sha256", secret).update(payload, "utf8").digest("hex");
}

const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// JSON inside a <script> must not be able to close the tag.
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

function renderPage(opts: DemoCustomerSiteOptions, selected: number) {
  const appUrl = opts.appUrl.replace(/\/$/, "");
  const user = opts.subscribers[selected];
  // Signed for every page view, as a real site would: a signature is accepted for 24 hours.
  const issuedAt = Math.floor(Date.now() / 1000);
  const widgetOptions = user
    ? {
        publicKey: opts.publicKey,
        email: user.email,
        ...(user.name ? { name: user.name } : {}),
        ...(user.externalId ? { externalId: user.externalId } : {}),
        issuedAt,
        signature: signSubscriber(opts.widgetSecret, user, issuedAt),
      }
    : null;
  const people = opts.subscribers
    .map(
      (s, i) =>
        `<li><a href="/?as=${i}" class="${i === selected ? "current" : ""}" data-testid="demo-user">${escapeHtml(s.name || s.email)}<small>${escapeHtml(s.email)}</small></a></li>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Acme Notes — Account settings</title>
<style>
  *{box-sizing:border-box} body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f7f9;color:#1f2937}
  header{background:#111827;color:#fff;padding:14px 28px;display:flex;align-items:center;gap:10px;font-weight:600}
  header span{background:#f59e0b;color:#111827;border-radius:6px;padding:2px 8px;font-size:13px}
  main{max-width:960px;margin:32px auto;padding:0 20px;display:grid;grid-template-columns:240px 1fr;gap:24px}
  aside h2,section h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:#6b7280;margin:0 0 10px}
  aside ul{list-style:none;margin:0;padding:0} aside a{display:block;padding:8px 10px;border-radius:8px;color:#111827;text-decoration:none}
  aside a small{display:block;color:#6b7280;font-size:12px} aside a.current{background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.08)}
  section{background:#fff;border:1px solid #e5e7eb;border-radius:12px;padding:24px}
  .row{display:flex;justify-content:space-between;padding:10px 0;border-bottom:1px solid #f1f5f9}
  .danger{margin-top:24px;border-top:1px solid #fee2e2;padding-top:20px}
  button{background:#dc2626;color:#fff;border:0;border-radius:8px;padding:10px 16px;font-weight:600;cursor:pointer}
  button:hover{background:#b91c1c} .note{color:#6b7280;font-size:13px}
  #status{margin-top:16px;padding:10px 14px;border-radius:8px;display:none}
  #status.cancelled{display:block;background:#fef2f2;color:#991b1b} #status.retained{display:block;background:#ecfdf5;color:#065f46}
</style></head>
<body>
<header>Acme Notes <span>Demo customer site</span></header>
<main>
  <aside><h2>Signed in as</h2><ul>${people || "<li class=note>No demo subscribers configured.</li>"}</ul></aside>
  <section>
    <h2>Account settings</h2>
    ${
      user
        ? `<div class="row"><span>Name</span><strong>${escapeHtml(user.name || "—")}</strong></div>
    <div class="row"><span>Email</span><strong data-testid="demo-email">${escapeHtml(user.email)}</strong></div>
    <div class="row"><span>Plan</span><strong>Acme Notes Pro · $12/month</strong></div>
    <div class="danger">
      <p class="note">Leaving? We'll ask a couple of quick questions first.</p>
      <button id="cancel" type="button">Cancel subscription</button>
      <div id="status" role="status"></div>
    </div>`
        : `<p class="note">Pick a subscriber on the left.</p>`
    }
  </section>
</main>
<script src="${escapeHtml(appUrl)}/widget.js"></script>
<script>
  var options = ${scriptJson(widgetOptions)};
  var button = document.getElementById("cancel");
  if (button && options) button.addEventListener("click", function () {
    Holdfast.open(Object.assign({}, options, {
      onComplete: function (outcome) {
        var s = document.getElementById("status");
        s.className = outcome;
        s.textContent = outcome === "cancelled" ? "Your subscription has been cancelled." : "Glad you're staying!";
      }
    }));
  });
</script>
</body></html>`;
}

export async function startDemoCustomerSite(opts: DemoCustomerSiteOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://demo.local");
    if (req.method !== "GET" || url.pathname !== "/") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
      return;
    }
    const index = Number(url.searchParams.get("as") ?? 0);
    const selected = Number.isInteger(index) && index >= 0 && index < opts.subscribers.length ? index : 0;
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(renderPage(opts, selected));
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main() {
  const required = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const site = await startDemoCustomerSite({
    port: Number(process.env.DEMO_SITE_PORT ?? 3001),
    appUrl: process.env.HOLDFAST_APP_URL ?? "http://localhost:3000",
    publicKey: required("HOLDFAST_PUBLIC_KEY"),
    widgetSecret: required("HOLDFAST_WIDGET_SECRET"),
    subscribers: (process.env.DEMO_SUBSCRIBERS ?? process.argv.slice(2).join(","))
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean)
      .map((email) => ({ email })),
  });
  console.log(`Acme Notes demo site: ${site.url}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
