import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { subscribers } from "@/db/schema";
import { importSubscribers } from "@/lib/subscribers/import-subscribers";
import { listSubscribers } from "@/lib/subscribers/list-subscribers";
import { getSubscriberDetail } from "@/lib/subscribers/subscriber-detail";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

const db = setupTestDb();

describe("listSubscribers", () => {
  let accountId: string;

  beforeAll(async () => {
    accountId = (await createTestAccount("List")).account.id;
    const base = Date.parse("2024-01-01T00:00:00Z");
    await db()
      .insert(subscribers)
      .values(
        [
          ["dana@example.com", "Dana Scully"],
          ["fox.mulder@example.com", "Fox Mulder"],
          ["walter@fbi.gov", "Walter Skinner"],
          ["percent_100%@example.com", null],
        ].map(([email, name], i) => ({
          accountId,
          email: email!,
          emailKey: email!,
          name,
          createdAt: new Date(base + i * 60_000),
        })),
      );
    await db()
      .update(subscribers)
      .set({ intercomMatch: "ambiguous", intercomCandidates: 3, intercomContactId: "c_1" })
      .where(and(eq(subscribers.accountId, accountId), eq(subscribers.emailKey, "fox.mulder@example.com")));
  });

  const emails = async (q: string) => (await listSubscribers(accountId, { q })).items.map((s) => s.email);

  it("lists the newest subscribers first, with their Intercom match status", async () => {
    const list = await listSubscribers(accountId);
    expect(list.items.map((s) => s.email)).toEqual(["percent_100%@example.com", "walter@fbi.gov", "fox.mulder@example.com", "dana@example.com"]);
    expect(list.items.find((s) => s.email === "fox.mulder@example.com")).toMatchObject({ intercomMatch: "ambiguous", intercomCandidates: 3 });
    expect(list.items.find((s) => s.email === "dana@example.com")).toMatchObject({ intercomMatch: "none" });
    expect(list).toMatchObject({ total: 4, page: 1, pageCount: 1, accountIsEmpty: false });
  });

  it("searches by part of the email, case-insensitively", async () => {
    expect(await emails("FBI.GOV")).toEqual(["walter@fbi.gov"]);
    expect(await emails("  dana@  ")).toEqual(["dana@example.com"]);
  });

  it("searches by part of the name, case-insensitively", async () => {
    expect(await emails("mulder")).toEqual(["fox.mulder@example.com"]);
    expect(await emails("SCULLY")).toEqual(["dana@example.com"]);
  });

  it("treats % and _ in the search as literal characters and ignores NUL", async () => {
    expect(await emails("%")).toEqual(["percent_100%@example.com"]);
    expect(await emails("t_1")).toEqual(["percent_100%@example.com"]);
    expect(await emails("walter\u0000")).toEqual(["walter@fbi.gov"]);
  });

  it("says when a search matches nothing, without calling the account empty", async () => {
    const list = await listSubscribers(accountId, { q: "nobody-at-all" });
    expect(list).toMatchObject({ items: [], total: 0, accountIsEmpty: false });
  });

  it("pages 50 at a time and clamps out-of-range pages", async () => {
    const { account } = await createTestAccount("Pages");
    const csv = ["email,name", ...Array.from({ length: 120 }, (_, i) => `user${i}@example.com,User ${i}`)].join("\n");
    expect((await importSubscribers(account.id, csv)).created).toBe(120);

    const pages = await Promise.all([1, 2, 3].map((page) => listSubscribers(account.id, { page })));
    expect(pages.map((p) => p.items.length)).toEqual([50, 50, 20]);
    expect(pages[0]).toMatchObject({ total: 120, pageCount: 3, pageSize: 50 });
    const seen = new Set(pages.flatMap((p) => p.items.map((s) => s.id)));
    expect(seen.size).toBe(120);
    expect((await listSubscribers(account.id, { page: 99 })).page).toBe(3);
    expect((await listSubscribers(account.id, { page: -4 })).page).toBe(1);
    expect((await listSubscribers(account.id, { q: "user11", page: 1 })).items.map((s) => s.email).sort()).toEqual(
      ["user11@example.com", ...Array.from({ length: 10 }, (_, i) => `user11${i}@example.com`)].sort(),
    );
  });

  it("reports a brand-new account as empty", async () => {
    const { account } = await createTestAccount("Empty");
    expect(await listSubscribers(account.id)).toMatchObject({ items: [], total: 0, accountIsEmpty: true });
  });
});

describe("subscriber tenant isolation", () => {

  it("keeps account B from listing, searching or opening account A's subscribers", async () => {
    const a = (await createTestAccount("Tenant A")).account.id;
    const b = (await createTestAccount("Tenant B")).account.id;
    await importSubscribers(a, "email,name\nshared@example.com,Alice of A\nonly-a@example.com,Only A\n");
    await importSubscribers(b, "email,name\nonly-b@example.com,Only B\n");

    const listB = await listSubscribers(b);
    expect(listB.items.map((s) => s.email)).toEqual(["only-b@example.com"]);
    expect((await listSubscribers(b, { q: "only-a" })).items).toEqual([]);

    const aSubscriber = (await listSubscribers(a, { q: "only-a" })).items[0]!;
    expect(await getSubscriberDetail(b, aSubscriber.id)).toBeNull();
    expect((await getSubscriberDetail(a, aSubscriber.id))?.subscriber.email).toBe("only-a@example.com");
  });

  it("imports into B without touching A's subscriber with the same email", async () => {
    const a = (await createTestAccount("Tenant A2")).account.id;
    const b = (await createTestAccount("Tenant B2")).account.id;
    await importSubscribers(a, "email,name,plan\nshared@example.com,Alice of A,Pro\n");

    const result = await importSubscribers(b, "email,name,plan\nShared@Example.com,Bob of B,Starter\n");
    expect(result).toMatchObject({ created: 1, updated: 0, errors: [] });

    const [inA] = (await listSubscribers(a)).items;
    const [inB] = (await listSubscribers(b)).items;
    expect(inA).toMatchObject({ email: "shared@example.com", name: "Alice of A", plan: "Pro" });
    expect(inB).toMatchObject({ email: "Shared@Example.com", name: "Bob of B", plan: "Starter" });
    expect(inA!.id).not.toBe(inB!.id);
  });
});
