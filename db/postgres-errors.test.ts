import { describe, expect, it } from "vitest";
import { databaseErrorMessage, hasPostgresCode } from "./postgres-errors";

describe("databaseErrorMessage", () => {
  const server = Object.assign(new Error("deadlock detected"), { code: "40P01", severity: "ERROR" });

  it("gives the database's own words under drizzle's query text", () => {
    const wrapped = Object.assign(new Error("Failed query: update subscribers set ..."), { cause: server });
    expect(databaseErrorMessage(wrapped)).toBe("deadlock detected (SQLSTATE 40P01)");
    expect(hasPostgresCode(Object.assign(new Error("x"), { cause: { ...server, code: "23505" } }), "23505")).toBe(true);
  });

  it("does not take a socket error's code for a SQLSTATE", () => {
    const socket = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
    expect(databaseErrorMessage(Object.assign(new Error("Failed query: select 1"), { cause: socket }))).toBeNull();
    expect(databaseErrorMessage(new Error("plain"))).toBeNull();
  });
});
