// Deterministic demo workspace: the same seed, count and anchor always give the same contacts,
// so tests and the demo can rely on its contents (documented in README.md).

import { buildContact } from "./contact-factory";
import { createPrng, type Prng } from "./prng";
import {
  SEEDED_MERGE,
  SHARED_LEAD_USER_EMAIL,
  seededContactEmail,
  seededContactExternalId,
  seededContactRole,
} from "./seed-rules";
import { contactSeed, decodeNumber, encodeNumber, idFromWords, seedMask } from "./seeded-ids";
import type { ContactObject, CustomValue, DataAttributeObject, DataType } from "./types";

const DAY = 86_400;

const FIRST_NAMES = [
  "Ana", "Ben", "Chloe", "Dana", "Elif", "Farah", "Gus", "Hana", "Ines", "Jonas", "Kofi", "Lena", "Marco",
  "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Vera", "Wei", "Ximena", "Yusuf", "Zoe",
];
const LAST_NAMES = [
  "Almeida", "Brennan", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen",
  "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rossi", "Schmidt", "Tanaka",
  "Underwood", "Varga", "Walsh", "Xu", "Yilmaz", "Zimmer",
];
const PLACES: Array<[city: string, region: string, country: string, cc: string, continent: string]> = [
  ["New York", "New York", "United States", "USA", "NA"],
  ["Austin", "Texas", "United States", "USA", "NA"],
  ["Toronto", "Ontario", "Canada", "CAN", "NA"],
  ["London", "England", "United Kingdom", "GBR", "EU"],
  ["Dublin", "Leinster", "Ireland", "IRL", "EU"],
  ["Berlin", "Berlin", "Germany", "DEU", "EU"],
  ["Lisbon", "Lisbon", "Portugal", "PRT", "EU"],
  ["São Paulo", "São Paulo", "Brazil", "BRA", "SA"],
  ["Sydney", "New South Wales", "Australia", "AUS", "OC"],
  ["Bengaluru", "Karnataka", "India", "IND", "AS"],
  ["Tokyo", "Tokyo", "Japan", "JPN", "AS"],
  ["Lagos", "Lagos", "Nigeria", "NGA", "AF"],
];
const BROWSERS: Array<[browser: string, version: string]> = [
  ["chrome", "126.0.0.0"], ["firefox", "127.0"], ["safari", "17.5"], ["edge", "126.0.2592.68"],
];
const OSES = ["OS X 14.5", "Windows 10", "Windows 11", "Linux", "iOS 17.5"];
const PLANS = ["Starter", "Growth", "Scale", "Enterprise"];
const OWNER_IDS = ["991267459", "991267460", "991267461"];

interface CustomSpec {
  name: string;
  label: string;
  dataType: DataType;
  description: string;
  options?: string[];
  archived?: boolean;
}

/** The custom attributes every seeded workspace defines, in id order. */
export const SEEDED_CUSTOM_ATTRIBUTES: readonly CustomSpec[] = [
  { name: "plan_name", label: "Plan name", dataType: "string", description: "Current subscription plan" },
  { name: "seats", label: "Seats", dataType: "integer", description: "Paid seats on the account" },
  { name: "lifetime_value", label: "Lifetime value", dataType: "float", description: "Revenue to date in USD" },
  { name: "is_vip", label: "VIP", dataType: "boolean", description: "Gets white-glove support", options: ["true", "false"] },
  { name: "renewal_date", label: "Renewal date", dataType: "date", description: "Next renewal of the subscription" },
  {
    name: "account_tier",
    label: "Account tier",
    dataType: "string",
    description: "Tier shown in the billing page",
    options: ["free", "pro", "enterprise"],
  },
  { name: "legacy_score", label: "Legacy score", dataType: "integer", description: "Old health score", archived: true },
  { name: "cancel_reason", label: "Cancel reason", dataType: "string", description: "Answer from the cancellation survey" },
  {
    name: "cancel_reason_code",
    label: "Cancel reason code",
    dataType: "string",
    description: "Reason code from the cancellation survey",
    options: ["too_expensive", "missing_feature", "switching", "other"],
  },
  { name: "cancel_comment", label: "Cancel comment", dataType: "string", description: "Free-text cancellation comment" },
  { name: "cancel_rating", label: "Cancel rating", dataType: "integer", description: "Rating given when cancelling" },
];

export const FIRST_CUSTOM_ATTRIBUTE_ID = 12870;

export function seedCustomAttributes(anchor: number, adminId: string): DataAttributeObject[] {
  const createdAt = anchor - 400 * DAY;
  return SEEDED_CUSTOM_ATTRIBUTES.map((spec, i) => ({
    type: "data_attribute",
    id: FIRST_CUSTOM_ATTRIBUTE_ID + i,
    model: "contact",
    name: spec.name,
    full_name: `custom_attributes.${spec.name}`,
    label: spec.label,
    description: spec.description,
    data_type: spec.dataType,
    ...(spec.options ? { options: [...spec.options] } : {}),
    api_writable: true,
    ui_writable: true,
    messenger_writable: false,
    custom: true,
    archived: spec.archived ?? false,
    created_at: createdAt + i * 60,
    updated_at: spec.archived ? anchor - 90 * DAY : createdAt + i * 60,
    admin_id: adminId,
  }));
}

export interface SeedInput {
  seed: number;
  contactCount: number;
  workspaceId: string;
  /** Unix seconds; every generated timestamp falls in the year before it. */
  anchor: number;
}

/** The fields the store indexes, drawn first so they cost a few PRNG steps per contact. */
export interface SeededCore {
  createdAt: number;
  updatedAt: number;
  /** The id's three 32-bit words (creation second, random, scrambled contact number). */
  idHi: number;
  idMid: number;
  idLow: number;
}

/**
 * The seeded contacts 1..count, generated on demand: contact n is a pure function of (seed, n,
 * anchor), so a million of them cost nothing until read, and contact n is the same whatever the
 * count.
 */
export class SeededContacts {
  readonly count: number;
  private readonly mask: number;

  constructor(readonly input: SeedInput) {
    this.count = input.contactCount;
    this.mask = seedMask(input.seed);
  }

  core(n: number): SeededCore {
    return this.drawCore(n, createPrng(contactSeed(this.input.seed, n)));
  }

  build(n: number): ContactObject {
    const prng = createPrng(contactSeed(this.input.seed, n));
    const core = this.drawCore(n, prng);
    return generateContact(n, core, this.input, prng);
  }

  /** The seeded contact number an id belongs to, if any. */
  numberOfId(id: string): number | undefined {
    const n = decodeNumber(id, this.mask);
    if (n === undefined || n < 1 || n > this.count) return undefined;
    const core = this.core(n);
    return idFromWords(core.idHi, core.idMid, core.idLow) === id ? n : undefined;
  }

  /** Seeded contacts whose email lowercases to `key`, from the published email rule. */
  numbersForEmail(key: string): number[] {
    if (key === SHARED_LEAD_USER_EMAIL) return [1, 5].filter((n) => n <= this.count);
    const n = Number(/^user([1-9]\d{0,9})@example\.com$/.exec(key)?.[1]);
    if (!Number.isSafeInteger(n) || n > this.count) return [];
    return seededContactEmail(n)?.toLowerCase() === key ? [n] : [];
  }

  /** Seed-time history: lead 15 merged into user 14 two days before the anchor. */
  seedHistory(): Array<{ from: number; into: number; mergedAt: number }> {
    if (this.count < Math.max(SEEDED_MERGE.from, SEEDED_MERGE.into)) return [];
    return [{ ...SEEDED_MERGE, mergedAt: this.input.anchor - 2 * DAY }];
  }

  private drawCore(n: number, prng: Prng): SeededCore {
    const createdAt = this.input.anchor - prng.int(DAY, 365 * DAY);
    const idMid = Math.floor(prng.next() * 0x1_0000_0000) >>> 0;
    // Strictly before the anchor, so "changed today" in tests is always a deliberate change.
    const updatedAt = createdAt + prng.int(0, this.input.anchor - 1 - createdAt);
    const idLow = encodeNumber(n, this.mask);
    return { createdAt, updatedAt, idHi: Math.max(0, createdAt) >>> 0, idMid, idLow };
  }
}

function generateContact(n: number, core: SeededCore, input: SeedInput, prng: Prng): ContactObject {
  const role = seededContactRole(n);
  const { createdAt } = core;
  const first = prng.pick(FIRST_NAMES);
  const last = prng.pick(LAST_NAMES);
  const hasName = role === "user" || prng.chance(0.5);
  const c = buildContact({
    id: idFromWords(core.idHi, core.idMid, core.idLow),
    workspaceId: input.workspaceId,
    role,
    createdAt,
    email: seededContactEmail(n),
    name: hasName ? `${first} ${last}` : null,
    externalId: seededContactExternalId(n),
  });
  c.updated_at = core.updatedAt;
  if (prng.chance(0.8)) {
    const [city, region, country, cc, continent] = prng.pick(PLACES);
    c.location = { type: "location", city, region, country, country_code: cc, continent_code: continent };
  }
  if (role === "user" && prng.chance(0.85)) {
    c.last_seen_at = prng.int(createdAt, c.updated_at);
    const [browser, version] = prng.pick(BROWSERS);
    c.browser = browser;
    c.browser_version = version;
    c.browser_language = prng.pick(["en", "en-GB", "de", "pt-BR", "ja"]);
    c.os = prng.pick(OSES);
  }
  if (prng.chance(0.3)) c.phone = `+1 555 01${String(prng.int(0, 99)).padStart(2, "0")}`;
  if (prng.chance(0.2)) c.owner_id = prng.pick(OWNER_IDS);
  if (prng.chance(0.05)) c.unsubscribed_from_emails = true;
  if (prng.chance(0.3)) c.last_contacted_at = prng.int(createdAt, c.updated_at);
  c.custom_attributes = role === "user" ? userAttributes(prng, input.anchor) : leadAttributes(prng);
  return c;
}

function userAttributes(prng: Prng, anchor: number): Record<string, CustomValue> {
  const attrs: Record<string, CustomValue> = {};
  if (prng.chance(0.9)) attrs.plan_name = prng.pick(PLANS);
  attrs.seats = prng.int(1, 250);
  attrs.lifetime_value = Math.round(prng.next() * 500_000) / 100;
  attrs.is_vip = prng.chance(0.1);
  if (prng.chance(0.7)) attrs.renewal_date = Math.floor(anchor / DAY) * DAY + prng.int(1, 365) * DAY;
  attrs.account_tier = prng.pick(["free", "pro", "pro", "enterprise"]);
  return attrs;
}

function leadAttributes(prng: Prng): Record<string, CustomValue> {
  return prng.chance(0.5) ? { account_tier: "free" } : {};
}
