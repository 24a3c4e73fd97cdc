// The Bearer-authenticated API surface, after auth, Accept, version and rate-limit checks.

import { ApiError } from "./api-error";
import { getContact, listContacts, searchContacts, updateContact } from "./contact-routes";
import { createDataAttribute, listDataAttributes, updateDataAttribute } from "./data-attribute-routes";
import type { EmulatorContext } from "./emulator-context";
import { uninstall } from "./oauth-routes";
import { json, type Incoming, type Reply } from "./reply";

const CONTACT_PATH = /^\/contacts\/([^/]+)$/;
const ATTRIBUTE_PATH = /^\/data_attributes\/([^/]+)$/;

export function routeApi(ctx: EmulatorContext, req: Incoming): Reply {
  const { method, path } = req;
  if (path === "/me" && method === "GET") return showMe(ctx);
  if (path === "/data_attributes" && method === "GET") return listDataAttributes(ctx, req);
  if (path === "/data_attributes" && method === "POST") return createDataAttribute(ctx, req);
  if (path === "/contacts" && method === "GET") return listContacts(ctx, req);
  if (path === "/contacts/search" && method === "POST") return searchContacts(ctx, req);
  if (path === "/auth/uninstall" && method === "POST") return uninstall(ctx, req);
  const attributeId = ATTRIBUTE_PATH.exec(path)?.[1];
  if (attributeId && method === "PUT") return updateDataAttribute(ctx, req, decodeURIComponent(attributeId));
  const contactId = CONTACT_PATH.exec(path)?.[1];
  if (contactId && method === "GET") return getContact(ctx, req, decodeURIComponent(contactId));
  if (contactId && method === "PUT") return updateContact(ctx, req, decodeURIComponent(contactId));
  // Intercom answers unknown paths and unsupported methods alike with 404 (API-NOTES §4.2).
  throw new ApiError(404, "not_found", "Resource Not Found");
}

function showMe(ctx: EmulatorContext): Reply {
  const { workspace, admin } = ctx;
  return json({
    type: "admin",
    id: admin.id,
    email: admin.email,
    name: admin.name,
    email_verified: true,
    app: {
      type: "app",
      id_code: workspace.id,
      name: workspace.name,
      created_at: workspace.createdAt,
      secure: false,
      identity_verification: false,
      ...(ctx.settings.meReportsTimezone ? { timezone: workspace.timezone } : {}),
      region: workspace.region,
    },
    avatar: { type: "avatar", image_url: "https://static.intercomassets.com/assets/default-avatars/admins/128.png" },
    has_inbox_seat: true,
  });
}
