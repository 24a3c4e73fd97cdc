import type { ContactObject, ContactRole, ListObject } from "./types";

function emptyList(url: string): ListObject {
  return { type: "list", data: [], url, total_count: 0, has_more: false };
}

export function emailDomainOf(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf("@");
  return at >= 0 ? email.slice(at + 1).toLowerCase() : null;
}

export interface NewContactFields {
  id: string;
  workspaceId: string;
  role: ContactRole;
  createdAt: number;
  email?: string | null;
  name?: string | null;
  externalId?: string | null;
}

/** Every field of the 2.16 contact (API-NOTES §3.1), unset scalars null and lists empty. */
export function buildContact(f: NewContactFields): ContactObject {
  const email = f.email ?? null;
  return {
    type: "contact",
    id: f.id,
    workspace_id: f.workspaceId,
    external_id: f.externalId ?? null,
    role: f.role,
    email,
    email_domain: emailDomainOf(email),
    phone: null,
    name: f.name ?? null,
    avatar: null,
    owner_id: null,
    social_profiles: { type: "list", data: [] },
    has_hard_bounced: false,
    marked_email_as_spam: false,
    unsubscribed_from_emails: false,
    created_at: f.createdAt,
    updated_at: f.createdAt,
    signed_up_at: f.role === "user" ? f.createdAt : null,
    last_seen_at: null,
    last_replied_at: null,
    last_contacted_at: null,
    last_email_opened_at: null,
    last_email_clicked_at: null,
    language_override: null,
    browser: null,
    browser_version: null,
    browser_language: null,
    os: null,
    location: { type: "location", country: null, region: null, city: null, country_code: null, continent_code: null },
    android_app_name: null,
    android_app_version: null,
    android_device: null,
    android_os_version: null,
    android_sdk_version: null,
    android_last_seen_at: null,
    ios_app_name: null,
    ios_app_version: null,
    ios_device: null,
    ios_os_version: null,
    ios_sdk_version: null,
    ios_last_seen_at: null,
    custom_attributes: {},
    tags: emptyList(`/contacts/${f.id}/tags`),
    notes: emptyList(`/contacts/${f.id}/notes`),
    companies: emptyList(`/contacts/${f.id}/companies`),
    opted_out_subscription_types: emptyList(`/contacts/${f.id}/subscriptions`),
    opted_in_subscription_types: emptyList(`/contacts/${f.id}/subscriptions`),
    utm_campaign: null,
    utm_content: null,
    utm_medium: null,
    utm_source: null,
    utm_term: null,
    referrer: null,
    enabled_push_messaging: null,
  };
}

/** Mongo-style ids: 8 hex of the creation second, then 16 more, like real contact ids. */
export function contactIdFor(createdAt: number, randomHex: string): string {
  return (Math.max(0, createdAt).toString(16).padStart(8, "0").slice(-8) + randomHex).slice(0, 24);
}
