// The emulator at sync scale: a 200k-contact workspace (EMULATOR_SCALE_CONTACTS=1000000 for the
// real benchmark) must start fast, page an `updated_at >` search to the end reading every contact
// once, find contacts by email and id without scanning, and simulate activity deterministically.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOfDay, startOfNextDay } from "@/emulators/intercom/day-boundaries";
import { createPrng } from "@/emulators/intercom/prng";
import {
  SHARED_LEAD_USER_EMAIL,
  seededContactEmail,
  startIntercomEmulator,
  type ContactObject,
  type RunningEmulator,
} from "@/emulators/intercom/server";
import { callEmulator } from "../support/intercom-emulator";

const COUNT = Number(process.env.EMULATOR_SCALE_CONTACTS ?? 200_000);
const NOW = Date.parse("2024-05-02T15:00:00Z");

interface ContactList {
  data: ContactObject[];
  total_count: number;
  pages: { page: number; per_page: number; total_pages: number; next?: { page: number; starting_after: string } };
}

function search(emu: RunningEmulator, token: string, body: Record<string, unknown>) {
  return callEmulator<ContactList>(emu, "/contacts/search", { token, body });
}

/** Walks a search to its end the way the sync does; returns every row in order and timings. */
async function walk(
  emu: RunningEmulator,
  token: string,
  query: Record<string, unknown>,
  sort: { field: string; order: string } = { field: "updated_at", order: "ascending" },
) {
  const rows: ContactObject[] = [];
  const pageMs: number[] = [];
  let cursor: string | undefined;
  let totalCount = -1;
  for (;;) {
    const started = performance.now();
    const res = await search(emu, token, {
      query,
      sort,
      pagination: cursor ? { per_page: 150, starting_after: cursor } : { per_page: 150 },
    });
    pageMs.push(performance.now() - started);
    expect(res.status).toBe(200);
    if (totalCount === -1) totalCount = res.body.total_count;
    expect(res.body.total_count).toBe(totalCount);
    rows.push(...res.body.data);
    cursor = res.body.pages.next?.starting_after;
    if (!cursor) break;
    expect(res.body.data).toHaveLength(150);
  }
  return { rows, pageMs, totalCount };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

describe(`emulator with ${COUNT.toLocaleString("en-US")} contacts`, () => {
  let emu: RunningEmulator;
  let token: string;

  beforeAll(async () => {
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    emu = await startIntercomEmulator({ contactCount: COUNT, seed: 7, now: () => NOW, rateLimitPerWindow: 1_000_000 });
    const startMs = performance.now() - started;
    const rssMb = (process.memoryUsage().rss - rssBefore) / 1e6;
    console.log(`[emulator-scale] ${COUNT} contacts: started in ${startMs.toFixed(0)} ms, RSS +${rssMb.toFixed(0)} MB`);
    token = emu.issueToken();
  });
  afterAll(async () => emu?.close());

  it("generates the contacts lazily: only the seeded merge pair is held as objects", () => {
    expect(emu.store.counts()).toEqual({ active: COUNT - 1, stored: COUNT, materialized: 2 });
  });

  it("pages `updated_at > 0` oldest first to the end, reading every active contact exactly once", async () => {
    const started = performance.now();
    const { rows, pageMs, totalCount } = await walk(emu, token, { field: "updated_at", operator: ">", value: 0 });
    const wallMs = performance.now() - started;
    console.log(
      `[emulator-scale] paged ${rows.length} contacts in ${pageMs.length} pages: ${wallMs.toFixed(0)} ms, ` +
        `first 50 pages ${mean(pageMs.slice(0, 50)).toFixed(2)} ms/page, last 50 ${mean(pageMs.slice(-50)).toFixed(2)} ms/page`,
    );
    expect(totalCount).toBe(COUNT - 1);
    expect(rows).toHaveLength(COUNT - 1);
    expect(new Set(rows.map((c) => c.id)).size).toBe(COUNT - 1);
    const outOfOrder = rows.findIndex((cur, i) => {
      const prev = rows[i - 1];
      return prev !== undefined && !(prev.updated_at < cur.updated_at || (prev.updated_at === cur.updated_at && prev.id < cur.id));
    });
    expect(outOfOrder).toBe(-1);
    // Paging generated each page on the fly and kept nothing.
    expect(emu.store.counts().materialized).toBe(2);
  });

  it("finds contacts by email (=, IN, any case) and by id without a scan", async () => {
    const n = COUNT - 3; // an ordinary user near the end of the workspace
    const email = seededContactEmail(n) as string;
    const mixedCase = 50 * Math.floor(COUNT / 100) + 7; // n % 50 === 7: stored as User{n}@Example.COM
    const started = performance.now();
    const one = await search(emu, token, { query: { field: "email", operator: "=", value: email.toUpperCase() } });
    const many = await search(emu, token, {
      query: { field: "email", operator: "IN", value: [SHARED_LEAD_USER_EMAIL, `user${mixedCase}@example.com`, "nobody@example.com"] },
    });
    const lookupMs = performance.now() - started;
    console.log(`[emulator-scale] two email searches in ${lookupMs.toFixed(1)} ms`);

    expect(one.body.total_count).toBe(1);
    expect(one.body.data[0]?.email).toBe(email);
    expect(one.body.data[0]?.external_id).toBe(`user-${n}`);
    expect(many.body.data.map((c) => c.email).sort()).toEqual([`User${mixedCase}@Example.COM`, SHARED_LEAD_USER_EMAIL, SHARED_LEAD_USER_EMAIL].sort());
    expect(many.body.data.filter((c) => c.email === SHARED_LEAD_USER_EMAIL).map((c) => c.role).sort()).toEqual(["lead", "user"]);

    const id = one.body.data[0]?.id as string;
    const byId = await callEmulator<ContactObject>(emu, `/contacts/${id}`, { token });
    expect(byId.status).toBe(200);
    expect(byId.body.email).toBe(email);
    const tampered = `${id.slice(0, 23)}${id.endsWith("0") ? "1" : "0"}`;
    expect((await callEmulator(emu, `/contacts/${tampered}`, { token })).status).toBe(404);

    // A changed email is found under the new address only; a created contact is found at once.
    emu.store.updateContact(id, { email: "moved.away@example.org" });
    const created = emu.store.createContact({ email: "Fresh.Face@Example.org", role: "lead" });
    const after = await search(emu, token, {
      query: { field: "email", operator: "IN", value: [email, "moved.away@example.org", "fresh.face@example.org"] },
    });
    expect(after.body.data.map((c) => c.id).sort()).toEqual([id, created.id].sort());
  });

  it("simulates activity on a share of contacts; an incremental walk returns exactly those", async () => {
    const before = emu.store.counts().active;
    const stamp = Math.floor(NOW / 1000) + 60;
    const started = performance.now();
    const res = await callEmulator<{ changed: number; updatedAt: number; ids: string[] }>(emu, "/_emulator/activity", {
      body: { share: 0.01, now: stamp },
    });
    console.log(`[emulator-scale] activity on ${res.body.changed} contacts took ${(performance.now() - started).toFixed(0)} ms`);
    expect(res.status).toBe(200);
    expect(res.body.changed).toBe(Math.round(before * 0.01));
    expect(new Set(res.body.ids).size).toBe(res.body.changed);

    const { rows } = await walk(emu, token, { field: "updated_at", operator: ">", value: stamp - 86_400 });
    const changedNow = rows.filter((c) => c.updated_at === stamp).map((c) => c.id);
    expect(changedNow.sort()).toEqual([...res.body.ids].sort());
    // The changed ones come last in an oldest-first walk, so a resumed sync picks them up.
    expect(rows.slice(-changedNow.length).every((c) => c.updated_at === stamp)).toBe(true);
  });

  it("chooses the same contacts for the same seed and round", async () => {
    const [a, b, pristine] = await Promise.all(
      [1, 2, 3].map(() => startIntercomEmulator({ contactCount: 20_000, seed: 3, now: () => NOW })),
    ) as [RunningEmulator, RunningEmulator, RunningEmulator];
    try {
      const first = a.store.simulateActivity({ share: 0.05 });
      expect(first.changed).toBe(1000);
      expect(b.store.simulateActivity({ share: 0.05 }).ids).toEqual(first.ids);
      for (const id of first.ids.slice(0, 20)) {
        const changed = a.store.getContact(id)?.contact;
        const original = pristine.store.getContact(id)?.contact;
        expect(changed?.updated_at).toBe(Math.floor(NOW / 1000));
        expect(changed?.custom_attributes.seats).not.toBe(original?.custom_attributes.seats);
      }
      // The next round picks other contacts.
      expect(a.store.simulateActivity({ share: 0.05 }).ids).not.toEqual(first.ids);
    } finally {
      await Promise.all([a, b, pristine].map((e) => e.close()));
    }
  });
});

describe("sorted indexes under random changes", () => {
  it("page exactly like a sort of the live contacts, across delta growth and compaction", async () => {
    const emu = await startIntercomEmulator({ contactCount: 12_000, seed: 11, now: () => NOW, rateLimitPerWindow: 1_000_000 });
    try {
      const token = emu.issueToken();
      const prng = createPrng(99);
      const nowSeconds = Math.floor(NOW / 1000);
      const zone = emu.workspace.timezone;
      const cutoff = nowSeconds - 120 * 86_400;
      for (let round = 0; round < 3; round++) {
        // By round 2 the changed contacts pass the compaction threshold (16,384 delta + stale
        // entries), so the walks check a fresh delta, a full one and a rebuilt base.
        for (let i = 0; i < 9_000; i++) {
          const active = emu.store.counts().active;
          const n = prng.int(1, emu.store.counts().stored);
          const record = emu.store.contactAt(n);
          const roll = prng.next();
          if (record.state === "archived") emu.store.unarchiveContact(record.contact.id);
          else if (record.state !== "active") continue;
          else if (roll < 0.9) emu.store.updateContact(record.contact.id, { updated_at: nowSeconds - prng.int(0, 365 * 86_400) });
          else if (roll < 0.93) emu.store.createContact({ email: `r${round}-${i}@fuzz.test`, created_at: nowSeconds - prng.int(0, 400 * 86_400) });
          else if (roll < 0.95 && active > 100) emu.store.deleteContact(record.contact.id);
          else if (roll < 0.97) emu.store.archiveContact(record.contact.id);
          else {
            const other = emu.store.contactAt(prng.int(1, emu.store.counts().stored));
            if (other.state === "active" && other.contact.id !== record.contact.id) emu.store.mergeContact(record.contact.id, other.contact.id);
          }
        }
        const live = emu.store.activeContacts().map((s) => s.contact);
        const byKey = (field: "updated_at" | "created_at") => (a: ContactObject, b: ContactObject) =>
          a[field] - b[field] || (a.id < b.id ? -1 : 1);

        const ascending = await walk(emu, token, { field: "updated_at", operator: ">", value: cutoff });
        // `>` T matches from the next local midnight on (day truncation, traps C01).
        const from = startOfNextDay(cutoff, zone);
        const wantAsc = live.filter((c) => c.updated_at >= from).sort(byKey("updated_at")).map((c) => c.id);
        expect(ascending.rows.map((c) => c.id)).toEqual(wantAsc);
        expect(ascending.totalCount).toBe(wantAsc.length);

        const descending = await walk(emu, token, { field: "created_at", operator: "<", value: nowSeconds - 30 * 86_400 }, {
          field: "created_at",
          order: "descending",
        });
        const bound = startOfDay(nowSeconds - 30 * 86_400, zone);
        const wantDesc = live.filter((c) => c.created_at < bound).sort(byKey("created_at")).reverse().map((c) => c.id);
        expect(descending.rows.map((c) => c.id)).toEqual(wantDesc);
        expect(descending.totalCount).toBe(wantDesc.length);
      }
    } finally {
      await emu.close();
    }
  });
});
