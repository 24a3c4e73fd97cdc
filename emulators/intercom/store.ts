// The emulator's in-memory workspace. Route handlers and tests both go through these helpers so
// a "change made in Intercom" in a test looks exactly like one made through the API.

import { randomBytes } from "node:crypto";
import { buildContact, contactIdFor, emailDomainOf } from "./contact-factory";
import type {
  AdminInfo,
  ContactObject,
  ContactRole,
  CustomValue,
  DataAttributeObject,
  StoredContact,
  WorkspaceInfo,
} from "./types";

export interface WorkspaceData {
  customAttributes: DataAttributeObject[];
  contacts: StoredContact[];
}

export interface CreateContactInput {
  role?: ContactRole;
  email?: string | null;
  name?: string | null;
  external_id?: string | null;
  phone?: string | null;
  custom_attributes?: Record<string, CustomValue>;
  /** Unix seconds; defaults to now. */
  created_at?: number;
}

/** Fields a test may change to simulate activity in Intercom. */
export interface ContactPatch {
  role?: ContactRole;
  email?: string | null;
  name?: string | null;
  external_id?: string | null;
  phone?: string | null;
  owner_id?: string | null;
  avatar?: string | null;
  signed_up_at?: number | null;
  last_seen_at?: number | null;
  unsubscribed_from_emails?: boolean;
  /** Merged into the existing attributes; null clears one. */
  custom_attributes?: Record<string, CustomValue>;
  /** Unix seconds to stamp instead of now (e.g. "updated at 15:00 that day"). */
  updated_at?: number;
}

const MAX_MERGE_HOPS = 3;

export class EmulatorStore {
  private contacts = new Map<string, StoredContact>();
  private order: string[] = [];
  private customAttributes: DataAttributeObject[] = [];
  private nextAttributeId = 1;

  constructor(
    readonly workspace: WorkspaceInfo,
    readonly admin: AdminInfo,
    private readonly nowMs: () => number,
    data: WorkspaceData,
  ) {
    this.load(data);
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  load(data: WorkspaceData): void {
    this.contacts = new Map(data.contacts.map((c) => [c.contact.id, c]));
    this.order = data.contacts.map((c) => c.contact.id);
    this.customAttributes = data.customAttributes;
    this.nextAttributeId = Math.max(0, ...data.customAttributes.map((a) => a.id ?? 0)) + 1;
  }

  // ---- contacts -------------------------------------------------------------------------

  /** Raw stored record (copy), including merged/deleted state. */
  getContact(id: string): StoredContact | undefined {
    const found = this.contacts.get(id);
    return found ? structuredClone(found) : undefined;
  }

  /** Live record for handlers; callers must not keep it across requests. */
  peekContact(id: string): StoredContact | undefined {
    return this.contacts.get(id);
  }

  /** Active contacts (what the API can list), copied, in insertion order. */
  listContacts(): ContactObject[] {
    return this.activeContacts().map((s) => structuredClone(s.contact));
  }

  /** Every stored record whose email matches case-insensitively, whatever its state. */
  findContactsByEmail(email: string): StoredContact[] {
    const key = email.trim().toLowerCase();
    return this.allRecords()
      .filter((s) => s.contact.email?.toLowerCase() === key)
      .map((s) => structuredClone(s));
  }

  allRecords(): StoredContact[] {
    return this.order.map((id) => this.contacts.get(id)).filter((s): s is StoredContact => s !== undefined);
  }

  activeContacts(): StoredContact[] {
    return this.allRecords().filter((s) => s.state === "active");
  }

  createContact(input: CreateContactInput = {}): ContactObject {
    const createdAt = input.created_at ?? this.nowSeconds();
    let id = contactIdFor(createdAt, randomBytes(8).toString("hex"));
    while (this.contacts.has(id)) id = contactIdFor(createdAt, randomBytes(8).toString("hex"));
    const contact = buildContact({
      id,
      workspaceId: this.workspace.id,
      role: input.role ?? "user",
      createdAt,
      email: input.email ?? null,
      name: input.name ?? null,
      externalId: input.external_id ?? null,
    });
    contact.phone = input.phone ?? null;
    contact.custom_attributes = { ...(input.custom_attributes ?? {}) };
    this.contacts.set(id, { contact, state: "active", mergedInto: null, mergedAt: null, insertedAtMs: this.nowMs() });
    this.order.push(id);
    return structuredClone(contact);
  }

  /** Applies a change as Intercom would record it; bumps updated_at. Throws if not active. */
  updateContact(id: string, patch: ContactPatch): ContactObject {
    const stored = this.contacts.get(id);
    if (!stored || stored.state !== "active") throw new Error(`contact ${id} is not active`);
    applyPatch(stored.contact, patch);
    stored.contact.updated_at = patch.updated_at ?? this.nowSeconds();
    return structuredClone(stored.contact);
  }

  mergeContact(fromId: string, intoId: string): void {
    const from = this.contacts.get(fromId);
    const into = this.contacts.get(intoId);
    if (!from || from.state !== "active") throw new Error(`contact ${fromId} is not active`);
    if (!into || into.state !== "active") throw new Error(`contact ${intoId} is not active`);
    if (fromId === intoId) throw new Error("cannot merge a contact into itself");
    const now = this.nowSeconds();
    from.state = "merged";
    from.mergedInto = intoId;
    from.mergedAt = now;
    into.contact.updated_at = now;
  }

  deleteContact(id: string): void {
    const stored = this.contacts.get(id);
    if (!stored) throw new Error(`contact ${id} does not exist`);
    stored.state = "deleted";
  }

  /**
   * Follows merges to the surviving contact (Intercom resolves up to 3 hops). Returns undefined
   * when the chain ends in a deleted contact or is longer than that.
   */
  resolveMergeTarget(id: string): string | undefined {
    let current = this.contacts.get(id);
    for (let hop = 0; hop < MAX_MERGE_HOPS && current?.state === "merged" && current.mergedInto; hop++) {
      current = this.contacts.get(current.mergedInto);
    }
    return current?.state === "active" ? current.contact.id : undefined;
  }

  mergeHistoryOf(id: string): Array<{ type: string; source_contact_id: string; source_contact_role: ContactRole; merged_at: number | null }> {
    return this.allRecords()
      .filter((s) => s.state === "merged" && s.mergedInto === id)
      .map((s) => ({
        type: "merge_history_item",
        source_contact_id: s.contact.id,
        source_contact_role: s.contact.role,
        merged_at: s.mergedAt,
      }));
  }

  // ---- data attributes ------------------------------------------------------------------

  listCustomAttributes(): DataAttributeObject[] {
    return this.customAttributes;
  }

  customAttribute(name: string): DataAttributeObject | undefined {
    return this.customAttributes.find((a) => a.model === "contact" && a.name === name);
  }

  customAttributeById(id: number): DataAttributeObject | undefined {
    return this.customAttributes.find((a) => a.id === id);
  }

  addCustomAttribute(attribute: Omit<DataAttributeObject, "id">): DataAttributeObject {
    const created: DataAttributeObject = { ...attribute, id: this.nextAttributeId++ };
    this.customAttributes.push(created);
    return created;
  }

  archiveAttribute(name: string, archived = true): DataAttributeObject {
    const attribute = this.customAttribute(name);
    if (!attribute) throw new Error(`custom attribute ${name} does not exist`);
    attribute.archived = archived;
    attribute.updated_at = this.nowSeconds();
    return attribute;
  }
}

function applyPatch(c: ContactObject, patch: ContactPatch): void {
  if (patch.role !== undefined) c.role = patch.role;
  if (patch.email !== undefined) {
    c.email = patch.email;
    c.email_domain = emailDomainOf(patch.email);
  }
  if (patch.name !== undefined) c.name = patch.name;
  if (patch.external_id !== undefined) c.external_id = patch.external_id;
  if (patch.phone !== undefined) c.phone = patch.phone;
  if (patch.owner_id !== undefined) c.owner_id = patch.owner_id;
  if (patch.avatar !== undefined) c.avatar = patch.avatar === null ? null : { type: "avatar", image_url: patch.avatar };
  if (patch.signed_up_at !== undefined) c.signed_up_at = patch.signed_up_at;
  if (patch.last_seen_at !== undefined) c.last_seen_at = patch.last_seen_at;
  if (patch.unsubscribed_from_emails !== undefined) c.unsubscribed_from_emails = patch.unsubscribed_from_emails;
  if (patch.custom_attributes) c.custom_attributes = { ...c.custom_attributes, ...patch.custom_attributes };
}
