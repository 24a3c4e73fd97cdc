import { describe, expect, it } from "vitest";
import { createCustomProperty, listCustomProperties, renameCustomProperty } from "@/lib/properties/custom-properties";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

describe("custom properties", () => {
  setupTestDb();

  it("creates properties with a slug key, rejects bad input and duplicate keys, and renames without touching the key", async () => {
    const { account } = await createTestAccount("Props");
    const created = await createCustomProperty(account.id, { name: "Plan name", type: "text" });
    expect(created).toMatchObject({ ok: true, property: { key: "plan_name", name: "Plan name", type: "text" } });

    expect(await createCustomProperty(account.id, { name: "Plan name", type: "number" })).toMatchObject({
      ok: false,
      fieldErrors: { name: expect.stringContaining('"plan_name" already exists') },
    });
    expect(await createCustomProperty(account.id, { name: "Seats", key: "9 seats!", type: "number" })).toMatchObject({
      ok: false,
      fieldErrors: { key: expect.stringContaining("lowercase") },
    });
    expect(await createCustomProperty(account.id, { name: " ", type: "colour" })).toMatchObject({
      ok: false,
      fieldErrors: { name: "Name is required", type: expect.stringContaining("Choose a type") },
    });
    // Keys are unique per account, not globally.
    const elsewhere = (await createTestAccount("Props2")).account.id;
    expect(await createCustomProperty(elsewhere, { name: "Plan name", type: "text" })).toMatchObject({ ok: true });

    if (!created.ok) return;
    expect(await renameCustomProperty(account.id, { propertyId: created.property.id, name: "Plan" })).toMatchObject({
      ok: true,
      property: { name: "Plan", key: "plan_name" },
    });
    // Another account can neither rename nor list it.
    expect(await renameCustomProperty(elsewhere, { propertyId: created.property.id, name: "Hijacked" })).toMatchObject({ ok: false });
    expect((await listCustomProperties(elsewhere)).map((p) => p.id)).not.toContain(created.property.id);
    expect((await listCustomProperties(account.id)).map((p) => [p.key, p.name])).toEqual([["plan_name", "Plan"]]);
  });

  it("creates several properties whose names have nothing to make a key of", async () => {
    const { account } = await createTestAccount("Emoji");
    const fire = await createCustomProperty(account.id, { name: "🔥🔥", type: "text" });
    const star = await createCustomProperty(account.id, { name: "⭐", type: "number" });
    expect(fire).toMatchObject({ ok: true, property: { key: expect.stringMatching(/^property_/) } });
    expect(star).toMatchObject({ ok: true, property: { key: expect.stringMatching(/^property_/) } });
    // The same name again is a duplicate, as with any other name.
    expect(await createCustomProperty(account.id, { name: "🔥🔥", type: "text" })).toMatchObject({ ok: false });
  });
});
