// Wire shapes of the Intercom 2.16 objects the emulator serves, written from API-NOTES §2–§3.

export type Region = "US" | "EU" | "AU";
export type ContactRole = "user" | "lead";
export type DataModel = "contact" | "company";
/** Types as they read back from the API: "options" reads back as string + options, "datetime" as date. */
export type DataType = "string" | "integer" | "float" | "boolean" | "date";
export type CustomValue = string | number | boolean | null;

export interface WorkspaceInfo {
  id: string;
  name: string;
  region: Region;
  timezone: string;
  createdAt: number;
}

export interface ListObject<T = unknown> {
  type: "list";
  data: T[];
  url: string;
  total_count: number;
  has_more: boolean;
}

export interface ContactLocation {
  type: "location";
  country: string | null;
  region: string | null;
  city: string | null;
  country_code: string | null;
  continent_code: string | null;
}

export interface ContactObject {
  type: "contact";
  id: string;
  workspace_id: string;
  external_id: string | null;
  role: ContactRole;
  email: string | null;
  email_domain: string | null;
  phone: string | null;
  name: string | null;
  avatar: { type: "avatar"; image_url: string | null } | null;
  owner_id: string | null;
  social_profiles: { type: "list"; data: unknown[] };
  has_hard_bounced: boolean;
  marked_email_as_spam: boolean;
  unsubscribed_from_emails: boolean;
  created_at: number;
  updated_at: number;
  signed_up_at: number | null;
  last_seen_at: number | null;
  last_replied_at: number | null;
  last_contacted_at: number | null;
  last_email_opened_at: number | null;
  last_email_clicked_at: number | null;
  language_override: string | null;
  browser: string | null;
  browser_version: string | null;
  browser_language: string | null;
  os: string | null;
  location: ContactLocation;
  android_app_name: string | null;
  android_app_version: string | null;
  android_device: string | null;
  android_os_version: string | null;
  android_sdk_version: string | null;
  android_last_seen_at: number | null;
  ios_app_name: string | null;
  ios_app_version: string | null;
  ios_device: string | null;
  ios_os_version: string | null;
  ios_sdk_version: string | null;
  ios_last_seen_at: number | null;
  custom_attributes: Record<string, CustomValue>;
  tags: ListObject;
  notes: ListObject;
  companies: ListObject;
  opted_out_subscription_types: ListObject;
  opted_in_subscription_types: ListObject;
  utm_campaign: string | null;
  utm_content: string | null;
  utm_medium: string | null;
  utm_source: string | null;
  utm_term: string | null;
  referrer: string | null;
  enabled_push_messaging: boolean | null;
}

export type ContactState = "active" | "merged" | "deleted" | "archived";

/** A contact as the emulator keeps it: the wire object plus lifecycle state the API hides. */
export interface StoredContact {
  contact: ContactObject;
  state: ContactState;
  /** Set when state is "merged": the contact it was merged into (may itself be merged). */
  mergedInto: string | null;
  mergedAt: number | null;
  /** When the contact entered the store (ms); drives the search index lag. */
  insertedAtMs: number;
}

export interface DataAttributeObject {
  type: "data_attribute";
  id?: number;
  model: DataModel;
  name: string;
  full_name: string;
  label: string;
  description: string;
  data_type: DataType;
  options?: string[];
  api_writable: boolean;
  ui_writable: boolean;
  messenger_writable: boolean;
  custom: boolean;
  archived: boolean;
  created_at?: number;
  updated_at?: number;
  admin_id?: string;
}

export interface AdminInfo {
  id: string;
  name: string;
  email: string;
}
