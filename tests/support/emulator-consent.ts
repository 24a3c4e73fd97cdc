// Drives the emulator's OAuth consent page the way a browser would: GET the authorize URL, then
// submit its form (approve) or follow its cancel link (deny), and return where Intercom redirects.

export interface ConsentRedirect {
  location: URL;
  code: string | null;
  state: string | null;
  error: string | null;
}

async function consentPage(authorizeUrl: string): Promise<{ html: string; pageUrl: URL }> {
  const res = await fetch(authorizeUrl, { redirect: "manual" });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`consent page answered ${res.status}: ${html.slice(0, 200)}`);
  return { html, pageUrl: new URL(authorizeUrl) };
}

function toRedirect(res: Response): ConsentRedirect {
  const header = res.headers.get("location");
  if (res.status < 300 || res.status >= 400 || !header) throw new Error(`expected a redirect, got ${res.status}`);
  const location = new URL(header);
  const q = location.searchParams;
  return { location, code: q.get("code"), state: q.get("state"), error: q.get("error") };
}

const decode = (v: string) => v.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, "&");

/** Approves access on the consent page. */
export async function approveConsent(authorizeUrl: string): Promise<ConsentRedirect> {
  const { html, pageUrl } = await consentPage(authorizeUrl);
  const action = html.match(/<form[^>]*method="post"[^>]*action="([^"]+)"/i)?.[1];
  if (!action) throw new Error("consent page has no form");
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(m[1] as string, decode(m[2] as string));
  const res = await fetch(new URL(decode(action), pageUrl), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: fields,
    redirect: "manual",
  });
  return toRedirect(res);
}

/** Declines access: follows the consent page's cancel link. */
export async function denyConsent(authorizeUrl: string): Promise<ConsentRedirect> {
  const { html, pageUrl } = await consentPage(authorizeUrl);
  const href = html.match(/<\/button>\s*<a href="([^"]+)"/)?.[1];
  if (!href) throw new Error("consent page has no cancel link");
  const res = await fetch(new URL(decode(href), pageUrl), { redirect: "manual" });
  return toRedirect(res);
}
