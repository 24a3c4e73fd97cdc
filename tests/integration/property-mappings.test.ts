import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { customProperties, intercomConnections, propertyMappings, syncState } from "@/db/schema";
import { getPropertyMappings, listIntercomContactAttributes, savePropertyMappings } from "@/lib/mappings/property-mappings";
import { createCustomProperty } from "@/lib/properties/custom-properties";
import { incompatibilityMessage } from "@/lib/properties/types";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";

describe("property mappings (Intercom attribute -> subscriber property)", () => {
  const db = setupTestDb();
  let emu: RunningEmulator;
  let accountId: string;
  let connectionId: string;

  beforeAll(async () => {
    emu = await startTestEmulator({ contactCount: 0 });
    useEmulatorHosts(emu);
    accountId = (await createTestAccount("Mappings")).account.id;
    connectionId = (await connectAccountToEmulator(accountId, emu)).id;
  });

  afterAll(async () => {
    await db().update(intercomConnections).set({ status: "disconnected" }).where(eq(intercomConnections.id, connectionId));
    await emu.close();
  });

  async function propertyCount() {
    return (await db().select().from(customProperties).where(eq(customProperties.accountId, accountId))).length;
  }

  async function property(name: string, type: "text" | "number" | "boolean" | "date", key?: string) {
    const created = await createCustomProperty(accountId, { name, type, key });
    if (!created.ok) throw new Error(created.error);
    return created.property;
  }

  it("lists live contact attributes, standard and custom, without archived ones, with their compatible type", async () => {
    const result = await listIntercomContactAttributes(accountId);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const byName = new Map(result.attributes.map((a) => [a.fullName, a]));
    expect(byName.get("email")).toMatchObject({ label: "Email", dataType: "string", custom: false, compatibleTypes: ["text"] });
    expect(byName.get("location.city")).toMatchObject({ custom: false, compatibleTypes: ["text"] });
    expect(byName.get("custom_attributes.seats")).toMatchObject({ label: "Seats", dataType: "integer", custom: true, compatibleTypes: ["number"] });
    expect(byName.get("custom_attributes.lifetime_value")?.compatibleTypes).toEqual(["number"]);
    expect(byName.get("custom_attributes.is_vip")?.compatibleTypes).toEqual(["boolean"]);
    expect(byName.get("custom_attributes.renewal_date")?.compatibleTypes).toEqual(["date"]);
    expect(byName.has("custom_attributes.legacy_score")).toBe(false);
    // Standard attributes come first, so the editor can group them.
    const firstCustom = result.attributes.findIndex((a) => a.custom);
    expect(result.attributes.slice(firstCustom).every((a) => a.custom)).toBe(true);
  });

  it("rejects a pair of different types with a message naming both, and saves nothing", async () => {
    const plan = await property("Plan label", "text");
    const before = await propertyCount();
    const result = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } },
      { intercomAttribute: "custom_attributes.seats", propertyId: plan.id },
    ]);
    expect(result).toEqual({
      ok: false,
      error: expect.any(String),
      rowErrors: { 1: incompatibilityMessage("Seats", "integer", "Plan label", "text") },
    });
    expect(result.ok || result.rowErrors[1]).toContain("number");
    expect(await propertyCount()).toBe(before);
    expect(await getPropertyMappings(accountId)).toEqual([]);
  });

  it("rejects unknown and archived attributes", async () => {
    const result = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.no_such_thing", newProperty: { name: "Ghost" } },
      { intercomAttribute: "custom_attributes.legacy_score", newProperty: { name: "Legacy" } },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rowErrors[0]).toMatch(/not a contact attribute in your Intercom workspace/);
    expect(result.rowErrors[1]).toMatch(/archived or deleted/);
  });

  it("maps each attribute and each property at most once", async () => {
    const seats = await property("Seat count", "number");
    const result = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.seats", propertyId: seats.id },
      { intercomAttribute: "custom_attributes.seats", newProperty: { name: "Seats again" } },
      { intercomAttribute: "custom_attributes.lifetime_value", propertyId: seats.id },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.rowErrors)).toEqual(["1", "2"]);
    expect(result.rowErrors[1]).toMatch(/already mapped in another row/);
    expect(result.rowErrors[2]).toMatch(/already filled by another row/);
  });

  it("creates inline properties with the compatible type, replaces the set and asks for a backfill", async () => {
    const city = await property("Home city", "text");
    await db().update(syncState).set({ fullSyncRequested: false }).where(eq(syncState.connectionId, connectionId));
    const first = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.seats", newProperty: { name: "Seats" } },
      { intercomAttribute: "custom_attributes.renewal_date", newProperty: { name: "Renews on", key: "renews_on" } },
      { intercomAttribute: "location.city", propertyId: city.id },
    ]);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.mappings.map((m) => [m.intercomAttribute, m.intercomLabel, m.property.key, m.property.type])).toEqual([
      ["custom_attributes.seats", "Seats", "seats", "number"],
      ["custom_attributes.renewal_date", "Renewal date", "renews_on", "date"],
      ["location.city", "City", city.key, "text"],
    ]);
    // New pairs wait for a backfill (the next sync reads matched contacts by id), not a full resync.
    const saved = await db().select().from(propertyMappings).where(eq(propertyMappings.accountId, accountId));
    expect(saved.map((m) => m.backfilledAt)).toEqual([null, null, null]);

    const second = await savePropertyMappings(accountId, [{ intercomAttribute: "custom_attributes.is_vip", newProperty: { name: "VIP" } }]);
    expect(second.ok).toBe(true);
    const rows = await db().select().from(propertyMappings).where(eq(propertyMappings.accountId, accountId));
    expect(rows.map((r) => r.intercomAttribute)).toEqual(["custom_attributes.is_vip"]);
    // Replacing the set keeps the properties themselves (and their synced values).
    expect((await db().select().from(customProperties).where(eq(customProperties.accountId, accountId))).map((p) => p.key)).toContain("renews_on");
  });

  it("refuses a new property whose key is taken, and another account's property", async () => {
    const other = (await createTestAccount("Other")).account.id;
    const foreign = await createCustomProperty(other, { name: "Their plan", type: "text" });
    if (!foreign.ok) throw new Error(foreign.error);
    const result = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.account_tier", newProperty: { name: "VIP" } },
      { intercomAttribute: "custom_attributes.plan_name", propertyId: foreign.property.id },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rowErrors[0]).toMatch(/key "vip" already exists/);
    expect(result.rowErrors[1]).toMatch(/no longer exists/);
  });

  it("tells two rows that would create the same new property apart from a key that already exists", async () => {
    const before = await propertyCount();
    const result = await savePropertyMappings(accountId, [
      { intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } },
      { intercomAttribute: "custom_attributes.account_tier", newProperty: { name: "plan" } },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rowErrors).toEqual({ 1: 'Row 1 already creates a property with the key "plan". Give this new property another name.' });
    expect(await propertyCount()).toBe(before);
  });

  it("explains that Intercom must be connected, and flags a revoked token", async () => {
    const loner = (await createTestAccount("Loner")).account.id;
    expect(await listIntercomContactAttributes(loner)).toMatchObject({ ok: false, reason: "not_connected" });
    expect(await savePropertyMappings(loner, [])).toMatchObject({ ok: false, error: expect.stringContaining("Connect Intercom") });

    emu.revokeAll();
    expect(await listIntercomContactAttributes(accountId)).toMatchObject({ ok: false, reason: "reconnect_required" });
    const [conn] = await db().select().from(intercomConnections).where(eq(intercomConnections.id, connectionId));
    expect(conn?.status).toBe("reconnect_required");
  });
});
