import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { intercomContacts, subscribers } from "@/db/schema";
import type { IntercomContact } from "@/lib/intercom/schemas";
import { applyContactPage, readContactPage } from "@/lib/sync/apply-contact-page";
import { applyContacts } from "@/lib/sync/contact-lifecycle";
import { loadSyncMappings } from "@/lib/sync/sync-mappings";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

// A scan page's state may be read before the page is applied (while the page before it is
// written), and a webhook may store a newer version of one of its contacts in between. Applying
// the page must then leave the newer version alone, as the value upsert already does.
describe("a page applied with a read taken before a newer version was stored", () => {
  const db = setupTestDb();
  let accountId: string;
  const contact = (id: string, email: string, updatedAt: number, externalId: string): IntercomContact =>
    ({ type: "contact", id, role: "user", email, external_id: externalId, updated_at: updatedAt, custom_attributes: {} }) as IntercomContact;

  beforeAll(async () => {
    accountId = (await createTestAccount("Stale early read")).account.id;
    await db().insert(subscribers).values([{ accountId, email: "ana@example.com", emailKey: "ana@example.com" }]);
  });

  async function stored(contactId: string) {
    const [row] = await db().select().from(intercomContacts).where(and(eq(intercomContacts.accountId, accountId), eq(intercomContacts.contactId, contactId)));
    return row;
  }

  async function applyWithEarlyRead(page: IntercomContact[], meanwhile: IntercomContact[]) {
    const early = await readContactPage(db(), accountId, page);
    await applyContacts(accountId, meanwhile);
    const ctx = { accountId, runId: null, mappings: await loadSyncMappings(db(), accountId) };
    await applyContactPage(db(), ctx, page, { read: early });
  }

  it("does not write the older version of a candidate back", async () => {
    await applyWithEarlyRead([contact("c1", "ana@example.com", 1_000, "old")], [contact("c1", "ana@example.com", 2_000, "new")]);
    expect(await stored("c1")).toMatchObject({ contactUpdatedAt: 2_000, externalId: "new" });
  });

  it("does not delete a candidate whose newer version matches again", async () => {
    await applyContacts(accountId, [contact("c2", "ana@example.com", 1_000, "x")]);
    // The page says c2's email moved away; the newer version, stored meanwhile, has it back.
    await applyWithEarlyRead([contact("c2", "elsewhere@example.com", 1_500, "x")], [contact("c2", "ana@example.com", 2_000, "x")]);
    expect(await stored("c2")).toMatchObject({ contactUpdatedAt: 2_000, emailKey: "ana@example.com" });
  });
});
