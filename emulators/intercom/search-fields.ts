// Searchable contact fields and their types, from the "Accepted Fields" table of the 2.16 search
// docs; custom attributes take the type of their data attribute.

import type { EmulatorStore } from "./store";
import type { ContactObject } from "./types";

export type FieldType = "string" | "boolean" | "integer" | "float" | "date" | "tag";

const STRING_FIELDS = [
  "id", "role", "name", "avatar", "owner_id", "email", "email_domain", "phone", "formatted_phone", "external_id",
  "language_override", "browser", "browser_language", "os", "location.country", "location.region",
  "location.city", "ios_app_version", "ios_device", "ios_app_device", "ios_os_version", "ios_app_name",
  "ios_sdk_version", "android_app_version", "android_device", "android_app_name", "android_sdk_version",
  // The docs table spells it this way; accept both spellings.
  "andoid_sdk_version", "segment_id",
];
const DATE_FIELDS = [
  "created_at", "signed_up_at", "updated_at", "last_seen_at", "last_contacted_at", "last_replied_at",
  "last_email_opened_at", "last_email_clicked_at", "ios_last_seen_at", "android_last_seen_at",
];
const BOOLEAN_FIELDS = ["unsubscribed_from_emails", "marked_email_as_spam", "has_hard_bounced"];

const STANDARD: Record<string, FieldType> = {
  ...Object.fromEntries(STRING_FIELDS.map((f) => [f, "string" as const])),
  ...Object.fromEntries(DATE_FIELDS.map((f) => [f, "date" as const])),
  ...Object.fromEntries(BOOLEAN_FIELDS.map((f) => [f, "boolean" as const])),
  tag_id: "tag",
};

/** Fields whose text comparisons ignore case (emails; see API-NOTES §3.4). */
export const CASE_INSENSITIVE_FIELDS = new Set(["email", "email_domain"]);

const CUSTOM_PREFIX = "custom_attributes.";

export function fieldTypeOf(field: string, store: EmulatorStore): FieldType | undefined {
  if (field.startsWith(CUSTOM_PREFIX)) {
    const attribute = store.customAttribute(field.slice(CUSTOM_PREFIX.length));
    if (!attribute || attribute.archived) return undefined;
    return attribute.data_type;
  }
  return STANDARD[field];
}

export type FieldValue = string | number | boolean | null | string[];

export function fieldValueOf(contact: ContactObject, field: string): FieldValue {
  if (field.startsWith(CUSTOM_PREFIX)) {
    return contact.custom_attributes[field.slice(CUSTOM_PREFIX.length)] ?? null;
  }
  switch (field) {
    case "location.country":
      return contact.location.country;
    case "location.region":
      return contact.location.region;
    case "location.city":
      return contact.location.city;
    case "avatar":
      return contact.avatar?.image_url ?? null;
    case "formatted_phone":
      return contact.phone;
    case "andoid_sdk_version":
      return contact.android_sdk_version;
    case "ios_app_device":
      return contact.ios_device;
    case "segment_id":
      return null;
    case "tag_id":
      return contact.tags.data.map((t) => String((t as { id?: unknown }).id));
    default: {
      const value = (contact as unknown as Record<string, unknown>)[field];
      return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : null;
    }
  }
}
