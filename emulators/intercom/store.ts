// The emulator's workspace. Route handlers and tests both go through these helpers so a "change
// made in Intercom" in a test looks exactly like one made through the API.
//
// Contacts are numbered 1..N. Seeded ones are generated on demand from (seed, n); only contacts
// that were created, changed, merged, deleted or archived live as objects (the overlay). Typed
// columns hold what search sorts and filters on by index, so a 1M-contact workspace stays small.

import { randomBytes } from "node:crypto";
import { buildContact, contactIdFor, emailDomainOf } from "./contact-factory";
import { SortedIndex, type IndexColumns, type Probe } from "./contact-index";
import { createPrng } from "./prng";
import type { SeededContacts } from "./seed-workspace";
import { idWords } from "./seeded-ids";
import type {
  AdminInfo,
  ContactObject,
  ContactRole,
  ContactState,
  CustomValue,
  DataAttributeObject,
  StoredContact,
  WorkspaceInfo,
} from "./types";

export interface WorkspaceData {
  customAttributes: DataAttributeObject[];
  /** Generated contacts 1..count (the seeded workspace); numbered before `contacts`. */
  generated?: SeededContacts;
  /** Explicit contacts (a workspace file), numbered after the generated ones. */
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

/** What happened to a contact; the webhook sender turns these into notifications. */
export type ContactEvent =
  | { kind: "created"; contact: ContactObject }
  | { kind: "updated"; contact: ContactObject; emailChanged: boolean }
  | { kind: "merged"; contact: ContactObject; mergedFromId: string }
  | { kind: "deleted"; contact: ContactObject }
  | { kind: "archived"; contact: ContactObject }
  | { kind: "unarchived"; contact: ContactObject };

export interface ActivityOptions {
  /** Share of active contacts to change, 0..1. */
  share: number;
  /** Unix seconds to stamp as updated_at; defaults to now. */
  now?: number;
}

export interface ActivityResult {
  changed: number;
  updatedAt: number;
  ids: string[];
}

/** A page read straight from a sorted index. */
export interface IndexedPageRequest {
  field: "created_at" | "updated_at";
  ascending: boolean;
  /** Sort values in [lo, hi) only. */
  lo: number;
  hi: number;
  after?: Probe;
  perPage: number;
  /** Contacts inserted after this instant (ms) are hidden: the search index lag. */
  insertedBeforeMs?: number;
}

const MAX_MERGE_HOPS = 3;
const STATE_CODES: readonly ContactState[] = ["active", "merged", "deleted", "archived"];
const ACTIVE = 0;

export class EmulatorStore {
  private generated: SeededContacts | undefined;
  private generatedCount = 0;
  private total = 0;
  private capacity = 0;
  private overlay = new Map<number, StoredContact>();
  /** Ids of contacts that are not generated (created, or from a workspace file). */
  private explicitIds = new Map<string, number>();
  /** Current emails (lowercased) of overlay contacts; generated ones follow the seed rule. */
  private emailOverlay = new Map<string, Set<number>>();
  /** Survivor number -> numbers merged into it, for merge_history. */
  private mergedInto = new Map<number, number[]>();
  /** Contacts created at run time: the only ones the search index lag can hide. */
  private inserted: number[] = [];
  private states = new Uint8Array(0);
  private createdAt = new Float64Array(0);
  private updatedAt = new Float64Array(0);
  private idHi = new Uint32Array(0);
  private idMid = new Uint32Array(0);
  private idLow = new Uint32Array(0);
  private activeCount = 0;
  private activityRounds = 0;
  private readonly byCreated = new SortedIndex(() => this.columns(this.createdAt));
  private readonly byUpdated = new SortedIndex(() => this.columns(this.updatedAt));
  private readonly listeners = new Set<(event: ContactEvent) => void>();
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
    this.generated = data.generated;
    this.generatedCount = data.generated?.count ?? 0;
    this.total = this.generatedCount + data.contacts.length;
    this.overlay = new Map();
    this.explicitIds = new Map();
    this.emailOverlay = new Map();
    this.mergedInto = new Map();
    this.inserted = [];
    this.activityRounds = 0;
    this.allocate(this.total + 1, true);
    for (let n = 1; n <= this.generatedCount; n++) {
      const core = (this.generated as SeededContacts).core(n);
      this.createdAt[n] = core.createdAt;
      this.updatedAt[n] = core.updatedAt;
      this.idHi[n] = core.idHi;
      this.idMid[n] = core.idMid;
      this.idLow[n] = core.idLow;
    }
    data.contacts.forEach((stored, i) => this.place(this.generatedCount + 1 + i, structuredClone(stored)));
    for (const { from, into, mergedAt } of data.generated?.seedHistory() ?? []) {
      const source = this.mutable(from);
      source.state = "merged";
      source.mergedInto = this.contactAt(into).contact.id;
      source.mergedAt = mergedAt;
      this.states[from] = STATE_CODES.indexOf("merged");
      const survivor = this.mutable(into);
      survivor.contact.updated_at = Math.max(survivor.contact.updated_at, mergedAt);
      this.updatedAt[into] = survivor.contact.updated_at;
    }
    for (const [n, stored] of this.overlay) {
      const into = stored.state === "merged" && stored.mergedInto ? this.numberOf(stored.mergedInto) : undefined;
      if (into !== undefined) this.mergedInto.set(into, [...(this.mergedInto.get(into) ?? []), n].sort((a, b) => a - b));
    }
    this.rebuildIndexes();
    this.customAttributes = data.customAttributes;
    this.nextAttributeId = Math.max(0, ...data.customAttributes.map((a) => a.id ?? 0)) + 1;
  }

  /** Called with every contact change (not for the initial load). Returns an unsubscribe. */
  onChange(listener: (event: ContactEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- contacts -------------------------------------------------------------------------

  counts(): { active: number; stored: number; materialized: number } {
    return { active: this.activeCount, stored: this.total, materialized: this.overlay.size };
  }

  /** Raw stored record (copy), including merged/deleted state. */
  getContact(id: string): StoredContact | undefined {
    const n = this.numberOf(id);
    return n === undefined ? undefined : structuredClone(this.contactAt(n));
  }

  /** Live or freshly generated record for handlers; callers must not modify or keep it. */
  peekContact(id: string): StoredContact | undefined {
    const n = this.numberOf(id);
    return n === undefined ? undefined : this.contactAt(n);
  }

  /** Active contacts (what the API can list), copied, in insertion order. O(N): small workspaces. */
  listContacts(): ContactObject[] {
    return this.activeContacts().map((s) => structuredClone(s.contact));
  }

  /** Every stored record whose email matches case-insensitively, whatever its state. */
  findContactsByEmail(email: string): StoredContact[] {
    return this.numbersForEmail(email).map((n) => structuredClone(this.contactAt(n)));
  }

  /** Every record in insertion order. Generates all of them: meant for small workspaces. */
  allRecords(): StoredContact[] {
    return Array.from(this.records());
  }

  activeContacts(): StoredContact[] {
    return this.allRecords().filter((s) => s.state === "active");
  }

  /** Lazily walks every record in insertion order without keeping them. */
  *records(): Generator<StoredContact> {
    for (let n = 1; n <= this.total; n++) yield this.contactAt(n);
  }

  /** Contact numbers whose current email lowercases to the same key, in insertion order. */
  numbersForEmail(email: string): number[] {
    const key = email.trim().toLowerCase();
    const seeded = (this.generated?.numbersForEmail(key) ?? []).filter((n) => !this.overlay.has(n));
    return [...seeded, ...(this.emailOverlay.get(key) ?? [])].sort((a, b) => a - b);
  }

  numberOf(id: string): number | undefined {
    return this.explicitIds.get(id) ?? this.generated?.numberOfId(id);
  }

  /** The record of contact n (live overlay object, or generated fresh). */
  contactAt(n: number): StoredContact {
    const stored = this.overlay.get(n);
    if (stored) return stored;
    if (!this.generated || n < 1 || n > this.generatedCount) throw new Error(`no contact number ${n}`);
    return { contact: this.generated.build(n), state: "active", mergedInto: null, mergedAt: null, insertedAtMs: 0 };
  }

  createContact(input: CreateContactInput = {}): ContactObject {
    const createdAt = input.created_at ?? this.nowSeconds();
    let id = contactIdFor(createdAt, randomBytes(8).toString("hex"));
    while (this.numberOf(id) !== undefined) id = contactIdFor(createdAt, randomBytes(8).toString("hex"));
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
    const n = ++this.total;
    if (n >= this.capacity) this.allocate(Math.max(n + 1, Math.ceil(this.capacity * 1.5)), false);
    this.place(n, { contact, state: "active", mergedInto: null, mergedAt: null, insertedAtMs: this.nowMs() });
    this.inserted.push(n);
    this.indexInsert(n);
    this.emit(() => ({ kind: "created", contact: structuredClone(contact) }));
    return structuredClone(contact);
  }

  /** Applies a change as Intercom would record it; bumps updated_at. Throws if not active. */
  updateContact(id: string, patch: ContactPatch): ContactObject {
    return this.change(this.activeNumber(id), patch);
  }

  mergeContact(fromId: string, intoId: string): void {
    const from = this.activeNumber(fromId);
    const into = this.activeNumber(intoId);
    if (from === into) throw new Error("cannot merge a contact into itself");
    const now = this.nowSeconds();
    const source = this.mutable(from);
    this.setState(from, "merged");
    source.mergedInto = intoId;
    source.mergedAt = now;
    this.mergedInto.set(into, [...(this.mergedInto.get(into) ?? []), from].sort((a, b) => a - b));
    const survivor = this.mutable(into);
    this.stampUpdated(into, now);
    this.emit(() => ({ kind: "merged", contact: structuredClone(survivor.contact), mergedFromId: fromId }));
  }

  deleteContact(id: string): void {
    const n = this.numberOf(id);
    if (n === undefined) throw new Error(`contact ${id} does not exist`);
    const stored = this.mutable(n);
    this.setState(n, "deleted");
    this.emit(() => ({ kind: "deleted", contact: structuredClone(stored.contact) }));
  }

  /** Archived contacts drop out of lists and search and answer 404 until unarchived. */
  archiveContact(id: string): ContactObject {
    const n = this.activeNumber(id);
    const stored = this.mutable(n);
    this.setState(n, "archived");
    this.emit(() => ({ kind: "archived", contact: structuredClone(stored.contact) }));
    return structuredClone(stored.contact);
  }

  unarchiveContact(id: string): ContactObject {
    const n = this.numberOf(id);
    const stored = n === undefined ? undefined : this.overlay.get(n);
    if (n === undefined || stored?.state !== "archived") throw new Error(`contact ${id} is not archived`);
    this.setState(n, "active");
    this.emit(() => ({ kind: "unarchived", contact: structuredClone(stored.contact) }));
    return structuredClone(stored.contact);
  }

  /**
   * Changes a share of the active contacts as if people used the product: each gets a new value
   * for the first integer custom attribute (seeded: `seats`) and a fresh updated_at. Which
   * contacts change depends only on the seed of the workspace and how many rounds ran before.
   */
  simulateActivity(options: ActivityOptions): ActivityResult {
    if (!(options.share >= 0 && options.share <= 1)) throw new Error("share must be between 0 and 1");
    const updatedAt = options.now ?? this.nowSeconds();
    const wanted = Math.round(options.share * this.activeCount);
    const attribute = this.customAttributes.find((a) => a.model === "contact" && !a.archived && a.data_type === "integer");
    const prng = createPrng((this.generated?.input.seed ?? 0) * 7919 + ++this.activityRounds);
    const ids: string[] = [];
    if (wanted === 0 || this.total === 0) return { changed: 0, updatedAt, ids };
    // Visit numbers in a seeded stride order: each once, spread over the whole workspace.
    const start = prng.int(0, this.total - 1);
    let step = prng.int(1, Math.max(1, this.total - 1)) | 1;
    while (gcd(step, this.total) !== 1) step += 2;
    for (let i = 0; i < this.total && ids.length < wanted; i++) {
      const n = ((start + i * step) % this.total) + 1;
      if (this.states[n] !== ACTIVE) continue;
      const current = attribute ? this.mutable(n).contact.custom_attributes[attribute.name] : undefined;
      const patch: ContactPatch = { updated_at: updatedAt };
      if (attribute) patch.custom_attributes = { [attribute.name]: typeof current === "number" ? (current % 250) + 1 : 1 };
      ids.push(this.change(n, patch).id);
    }
    return { changed: ids.length, updatedAt, ids };
  }

  /**
   * Follows merges to the surviving contact (Intercom resolves up to 3 hops). Returns undefined
   * when the chain ends in a deleted contact or is longer than that.
   */
  resolveMergeTarget(id: string): string | undefined {
    let current = this.peekContact(id);
    for (let hop = 0; hop < MAX_MERGE_HOPS && current?.state === "merged" && current.mergedInto; hop++) {
      current = this.peekContact(current.mergedInto);
    }
    return current?.state === "active" ? current.contact.id : undefined;
  }

  mergeHistoryOf(id: string): Array<{ type: string; source_contact_id: string; source_contact_role: ContactRole; merged_at: number | null }> {
    const n = this.numberOf(id);
    return (n === undefined ? [] : (this.mergedInto.get(n) ?? []))
      .map((from) => this.contactAt(from))
      .filter((s) => s.state === "merged" && s.mergedInto === id)
      .map((s) => ({
        type: "merge_history_item",
        source_contact_id: s.contact.id,
        source_contact_role: s.contact.role,
        merged_at: s.mergedAt,
      }));
  }

  // ---- indexed reads ----------------------------------------------------------------------

  /** Active contacts with the sort value in [lo, hi), as search and list count them. O(log N). */
  countIndexed(field: "created_at" | "updated_at", lo: number, hi: number, insertedBeforeMs?: number): number {
    let count = (field === "created_at" ? this.byCreated : this.byUpdated).count(lo, hi);
    if (insertedBeforeMs !== undefined) {
      const values = field === "created_at" ? this.createdAt : this.updatedAt;
      for (const n of this.inserted) {
        const v = values[n] as number;
        if (this.states[n] === ACTIVE && v >= lo && v < hi && !this.insertedBefore(n, insertedBeforeMs)) count--;
      }
    }
    return count;
  }

  /** One page of active contacts in (field, id) order, found by binary search. */
  pageIndexed(req: IndexedPageRequest): { records: StoredContact[]; more: boolean } {
    const index = req.field === "created_at" ? this.byCreated : this.byUpdated;
    const cutoff = req.insertedBeforeMs;
    const { numbers, more } = index.walk({
      ascending: req.ascending,
      lo: req.lo,
      hi: req.hi,
      after: req.after,
      limit: req.perPage,
      accept: (n) => cutoff === undefined || this.insertedBefore(n, cutoff),
    });
    return { records: numbers.map((n) => this.contactAt(n)), more };
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

  // ---- internals -------------------------------------------------------------------------

  private columns(values: Float64Array): IndexColumns {
    return { values, idHi: this.idHi, idMid: this.idMid, idLow: this.idLow };
  }

  /** Sizes the columns for numbers below `capacity`; `fresh` drops the old contents (a load). */
  private allocate(capacity: number, fresh: boolean): void {
    const keep = <T extends Uint8Array | Uint32Array | Float64Array>(old: T, make: (size: number) => T): T => {
      const next = make(capacity);
      if (!fresh) next.set(old as never);
      return next;
    };
    this.states = keep(this.states, (s) => new Uint8Array(s));
    this.createdAt = keep(this.createdAt, (s) => new Float64Array(s));
    this.updatedAt = keep(this.updatedAt, (s) => new Float64Array(s));
    this.idHi = keep(this.idHi, (s) => new Uint32Array(s));
    this.idMid = keep(this.idMid, (s) => new Uint32Array(s));
    this.idLow = keep(this.idLow, (s) => new Uint32Array(s));
    this.capacity = capacity;
    if (!fresh) {
      this.byCreated.ensureCapacity(capacity);
      this.byUpdated.ensureCapacity(capacity);
    }
  }

  /** Puts an explicit (non-generated) record at number n and fills its columns. */
  private place(n: number, stored: StoredContact): void {
    const words = idWords(stored.contact.id) ?? [0, 0, 0];
    this.overlay.set(n, stored);
    this.explicitIds.set(stored.contact.id, n);
    this.addEmailKey(n, stored.contact.email);
    this.states[n] = STATE_CODES.indexOf(stored.state);
    this.createdAt[n] = stored.contact.created_at;
    this.updatedAt[n] = stored.contact.updated_at;
    [this.idHi[n], this.idMid[n], this.idLow[n]] = words;
  }

  private change(n: number, patch: ContactPatch): ContactObject {
    const stored = this.mutable(n);
    const previousEmail = stored.contact.email;
    this.setEmailKey(n, previousEmail, patch.email === undefined ? previousEmail : patch.email);
    applyPatch(stored.contact, patch);
    this.stampUpdated(n, patch.updated_at ?? this.nowSeconds());
    const emailChanged = patch.email !== undefined && patch.email !== previousEmail;
    this.emit(() => ({ kind: "updated", contact: structuredClone(stored.contact), emailChanged }));
    return structuredClone(stored.contact);
  }

  /** The overlay record of n, generating it into the overlay on first change. */
  private mutable(n: number): StoredContact {
    let stored = this.overlay.get(n);
    if (!stored) {
      stored = this.contactAt(n);
      this.overlay.set(n, stored);
      this.addEmailKey(n, stored.contact.email);
    }
    return stored;
  }

  private activeNumber(id: string): number {
    const n = this.numberOf(id);
    if (n === undefined || this.states[n] !== ACTIVE) throw new Error(`contact ${id} is not active`);
    return n;
  }

  private setState(n: number, state: ContactState): void {
    const stored = this.mutable(n);
    const wasActive = this.states[n] === ACTIVE;
    stored.state = state;
    this.states[n] = STATE_CODES.indexOf(state);
    if (wasActive && state !== "active") this.indexRemove(n);
    if (!wasActive && state === "active") this.indexInsert(n);
  }

  private stampUpdated(n: number, updatedAt: number): void {
    const stored = this.mutable(n);
    if (this.states[n] === ACTIVE) this.byUpdated.remove(n);
    stored.contact.updated_at = updatedAt;
    this.updatedAt[n] = updatedAt;
    if (this.states[n] === ACTIVE) this.byUpdated.insert(n);
    this.compactIfNeeded();
  }

  private indexInsert(n: number): void {
    this.activeCount++;
    this.byCreated.insert(n);
    this.byUpdated.insert(n);
    this.compactIfNeeded();
  }

  private indexRemove(n: number): void {
    this.activeCount--;
    this.byCreated.remove(n);
    this.byUpdated.remove(n);
    this.compactIfNeeded();
  }

  private compactIfNeeded(): void {
    if (this.byCreated.needsCompaction() || this.byUpdated.needsCompaction()) this.rebuildIndexes();
  }

  private rebuildIndexes(): void {
    const members: number[] = [];
    for (let n = 1; n <= this.total; n++) if (this.states[n] === ACTIVE) members.push(n);
    const active = Uint32Array.from(members);
    this.activeCount = active.length;
    this.byCreated.rebuild(active, this.capacity);
    this.byUpdated.rebuild(active, this.capacity);
  }

  private insertedBefore(n: number, cutoffMs: number): boolean {
    return (this.overlay.get(n)?.insertedAtMs ?? 0) <= cutoffMs;
  }

  private addEmailKey(n: number, email: string | null): void {
    if (!email) return;
    const key = email.trim().toLowerCase();
    const set = this.emailOverlay.get(key) ?? new Set<number>();
    set.add(n);
    this.emailOverlay.set(key, set);
  }

  private setEmailKey(n: number, previous: string | null, next: string | null): void {
    if (previous === next) return;
    if (previous) {
      const key = previous.trim().toLowerCase();
      this.emailOverlay.get(key)?.delete(n);
      if (this.emailOverlay.get(key)?.size === 0) this.emailOverlay.delete(key);
    }
    this.addEmailKey(n, next);
  }

  /** Builds the event only when someone listens: activity at 1M contacts must stay cheap. */
  private emit(build: () => ContactEvent): void {
    if (this.listeners.size === 0) return;
    const event = build();
    for (const listener of this.listeners) listener(event);
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
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
