import { describe, expect, it } from "vitest";
import { importRowSchema, parseIsoDate } from "./import-row";

const row = (cells: Record<string, string>) =>
  importRowSchema.safeParse({ email: "", name: "", plan: "", status: "", mrr: "", external_id: "", subscribed_at: "", ...cells });

describe("importRowSchema", () => {
  it("keeps the email as typed (trimmed) and matches on its normalised key", () => {
    const parsed = row({ email: "  Dana@Example.COM " });
    expect(parsed.success && parsed.data.email).toEqual({ email: "Dana@Example.COM", key: "dana@example.com" });
  });

  it("requires a valid email", () => {
    expect(row({}).error?.issues[0]?.message).toBe("email is required");
    expect(row({ email: "not-an-email" }).error?.issues[0]?.message).toContain("not a valid email");
  });

  it.each([
    ["49.00", 4900],
    ["49", 4900],
    ["49.5", 4950],
    ["$0.99", 99],
  ])("reads mrr %s as %i cents without float rounding", (mrr, cents) => {
    const parsed = row({ email: "a@x.io", mrr });
    expect(parsed.success && parsed.data.mrr).toBe(cents);
  });

  it.each(["-5", "49.999", "1,000", "abc", "999999999"])("rejects mrr %s", (mrr) => {
    expect(row({ email: "a@x.io", mrr }).success).toBe(false);
  });

  it("turns blank optional cells into undefined so they leave stored values alone", () => {
    const parsed = row({ email: "a@x.io", name: "  " });
    expect(parsed.success && parsed.data).toMatchObject({ name: undefined, plan: undefined, mrr: undefined, subscribed_at: undefined });
  });

  it("lowercases status", () => {
    const parsed = row({ email: "a@x.io", status: " Past_Due " });
    expect(parsed.success && parsed.data.status).toBe("past_due");
  });
});

describe("parseIsoDate", () => {
  it("reads a date as midnight UTC and a timestamp with its offset", () => {
    expect(parseIsoDate("2024-05-01")?.toISOString()).toBe("2024-05-01T00:00:00.000Z");
    expect(parseIsoDate("2024-05-01T12:30:00+02:00")?.toISOString()).toBe("2024-05-01T10:30:00.000Z");
    expect(parseIsoDate("2024-05-01T10:00:00Z")?.toISOString()).toBe("2024-05-01T10:00:00.000Z");
  });

  it.each(["2024-02-30", "2024-13-01", "01/05/2024", "May 1 2024", "2024-05-01T10:00:00", "2024-02-30T10:00:00Z"])(
    "rejects %s",
    (value) => {
      expect(parseIsoDate(value)).toBeNull();
    },
  );
});
