// Deep links into the Intercom web app (API-NOTES §6): enough of a page to prove the link works.

import type { EmulatorContext } from "./emulator-context";
import { contactPage, errorPage } from "./html-pages";
import { html, type Reply } from "./reply";

const DEEP_LINK = /^\/a\/apps\/([^/]+)\/users\/([^/]+)(?:\/all-conversations)?\/?$/;

export function matchDeepLink(path: string): { workspaceId: string; contactId: string } | undefined {
  const m = DEEP_LINK.exec(path);
  if (!m) return undefined;
  return { workspaceId: decodeURIComponent(m[1] ?? ""), contactId: decodeURIComponent(m[2] ?? "") };
}

export function showContactPage(ctx: EmulatorContext, workspaceId: string, contactId: string): Reply {
  const stored = ctx.store.peekContact(contactId);
  if (workspaceId !== ctx.workspace.id || !stored || stored.state !== "active") {
    return html(errorPage("Page not found", "This person doesn't exist in this workspace, or was merged or deleted."), 404);
  }
  const dateAttributes = new Set(
    ctx.store.listCustomAttributes().filter((a) => a.data_type === "date").map((a) => a.name),
  );
  return html(contactPage(stored.contact, ctx.workspace.name, dateAttributes));
}
