import { describe, expect, it } from "vitest";
import { accounts } from "@/db/schema";
import { setupTestDb } from "../support/db";

describe("database", () => {
  const db = setupTestDb();
  it("applies migrations and stores rows", async () => {
    const [row] = await db().insert(accounts).values({ name: "Smoke", publicKey: `pk_${Date.now()}`, widgetSecretEnc: "x" }).returning();
    expect(row?.name).toBe("Smoke");
  });
});
