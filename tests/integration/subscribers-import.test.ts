import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { subscribers } from "@/db/schema";
import { MAX_IMPORT_BYTES } from "@/lib/subscribers/import-limits";
import { importSubscribers, MAX_IMPORT_ROWS } from "@/lib/subscribers/import-subscribers";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

const db = setupTestDb();

async function stored(accountId: string) {
  const rows = await db().select().from(subscribers).where(eq(subscribers.accountId, accountId));
  return new Map(rows.map((r) => [r.emailKey, r]));
}

describe("importSubscribers", () => {
  it("creates subscribers with every column parsed", async () => {
    const { account } = await createTestAccount("Import");
    const result = await importSubscribers(
      account.id,
      'email,name,plan,status,mrr,external_id,subscribed_at\r\ndana@example.com,"Scully, Dana",Pro,Active,49.00,cus_1,2024-05-01\r\n',
    );
    expect(result).toEqual({ created: 1, updated: 0, errors: [], ignoredColumns: [] });
    expect((await stored(account.id)).get("dana@example.com")).toMatchObject({
      email: "dana@example.com",
      name: "Scully, Dana",
      plan: "Pro",
      status: "active",
      mrrCents: 4900,
      externalId: "cus_1",
      subscribedAt: new Date("2024-05-01T00:00:00Z"),
    });
  });

  it("updates the existing subscriber when the email differs only in case and spaces, but keeps plus-tags apart", async () => {
    const { account } = await createTestAccount("Upsert");
    await importSubscribers(account.id, "email,name,plan\ndana@example.com,Dana,Starter\n");
    const before = (await stored(account.id)).get("dana@example.com")!;

    const result = await importSubscribers(account.id, 'email,plan\n" Dana@Example.COM ",Pro\ndana+billing@example.com,Billing\n');
    expect(result).toMatchObject({ created: 1, updated: 1, errors: [] });

    const after = await stored(account.id);
    expect(after.size).toBe(2);
    expect(after.get("dana@example.com")).toMatchObject({ id: before.id, plan: "Pro", name: "Dana" });
    expect(after.get("dana+billing@example.com")).toMatchObject({ plan: "Billing" });
  });

  it("leaves stored values alone for blank cells", async () => {
    const { account } = await createTestAccount("Blank");
    await importSubscribers(account.id, "email,name,status,mrr\nana@example.com,Ana,trialing,19.00\n");
    await importSubscribers(account.id, "email,name,status,mrr\nana@example.com,,,\n");
    expect((await stored(account.id)).get("ana@example.com")).toMatchObject({ name: "Ana", status: "trialing", mrrCents: 1900 });
  });

  it("reports bad rows by line number and keeps the good ones", async () => {
    const { account } = await createTestAccount("Errors");
    const csv = [
      "email,name,mrr,subscribed_at", // line 1
      "good1@example.com,Good One,10.00,2024-01-31", // 2
      "not-an-email,Bad Email,,", // 3
      "", // 4: blank, skipped
      'good2@example.com,"Two\nLines",,', // 5-6
      "good3@example.com,Bad Money,ten dollars,", // 7
      "good4@example.com,Bad Date,,2024-02-30", // 8
      ",No Email,,", // 9
      "GOOD1@example.com,Duplicate,,", // 10
      "good5@example.com,Too,many,,values,here", // 11
      "good6@example.com,Fine,,", // 12
    ].join("\n");
    const result = await importSubscribers(account.id, csv);

    expect(result.created).toBe(3);
    expect(result.updated).toBe(0);
    expect(result.errors.map((e) => e.line)).toEqual([3, 7, 8, 9, 10, 11]);
    expect(result.errors[0]?.message).toContain('"not-an-email" is not a valid email address');
    expect(result.errors[1]?.message).toContain("mrr");
    expect(result.errors[2]?.message).toContain("subscribed_at");
    expect(result.errors[3]?.message).toBe("email is required");
    expect(result.errors[4]?.message).toContain("line 2");
    expect(result.errors[5]?.message).toContain("header has 4 columns");
    expect([...(await stored(account.id)).keys()].sort()).toEqual(["good1@example.com", "good2@example.com", "good6@example.com"]);
    expect((await stored(account.id)).get("good2@example.com")?.name).toBe("Two\nLines");
  });

  it("rejects a file without an email column, or with an unclosed quote, and imports nothing", async () => {
    const { account } = await createTestAccount("Header");
    expect(await importSubscribers(account.id, "mail,name\na@example.com,A\n")).toMatchObject({
      created: 0,
      errors: [{ line: 1, message: expect.stringContaining('"email" column') }],
    });
    expect(await importSubscribers(account.id, 'email,name\na@example.com,"A\nb@example.com,B\n')).toMatchObject({
      created: 0,
      errors: [{ line: 2, message: expect.stringContaining("never closed") }],
    });
    expect(await importSubscribers(account.id, "")).toMatchObject({ created: 0, errors: [{ line: 1 }] });
    expect(await importSubscribers(account.id, "email\na@example.com\nb\u0000@example.com\n")).toMatchObject({
      created: 0,
      errors: [{ line: 3, message: expect.stringContaining("UTF-8") }],
    });
    expect((await stored(account.id)).size).toBe(0);
  });

  it("names unknown columns it ignored", async () => {
    const { account } = await createTestAccount("Columns");
    const result = await importSubscribers(account.id, "Email,Name,Company\na@example.com,A,Acme\n");
    expect(result).toMatchObject({ created: 1, ignoredColumns: ["company"], errors: [] });
  });

  it(`refuses more than ${MAX_IMPORT_ROWS.toLocaleString("en-US")} rows and accepts exactly that many`, async () => {
    const { account } = await createTestAccount("Limit");
    const rows = (n: number) => ["email", ...Array.from({ length: n }, (_, i) => `bulk${i}@example.com`)].join("\n");

    const tooMany = await importSubscribers(account.id, rows(MAX_IMPORT_ROWS + 1));
    expect(tooMany).toMatchObject({ created: 0, updated: 0, errors: [{ line: 1, message: expect.stringContaining("at most 10,000") }] });
    expect((await stored(account.id)).size).toBe(0);

    const atLimit = await importSubscribers(account.id, rows(MAX_IMPORT_ROWS));
    expect(atLimit).toMatchObject({ created: MAX_IMPORT_ROWS, updated: 0, errors: [] });
    const again = await importSubscribers(account.id, rows(MAX_IMPORT_ROWS));
    expect(again).toMatchObject({ created: 0, updated: MAX_IMPORT_ROWS, errors: [] });
  });

  it("counts its 4 MB limit in bytes: accented names one byte over it are refused, naming the limit, and a file at it imports", async () => {
    const { account } = await createTestAccount("Bytes");
    const { csv, rows } = csvOfExactly(MAX_IMPORT_BYTES);
    // Ends in an ASCII "e": making it "é" adds a byte and no character.
    const oneByteOver = `${csv.slice(0, -2)}é\n`;
    expect(csv.length).toBe(oneByteOver.length);
    expect(csv.length).toBeLessThan(2_500_000);

    expect(await importSubscribers(account.id, oneByteOver)).toEqual({
      created: 0,
      updated: 0,
      errors: [{ line: 1, message: "This file is 4.1 MB; import at most 4 MB at a time. Split it into smaller files and import each." }],
      ignoredColumns: [],
    });
    expect((await stored(account.id)).size).toBe(0);

    expect(await importSubscribers(account.id, csv)).toMatchObject({ created: rows, updated: 0, errors: [] });
  });
});

/** A CSV of accented names of exactly `bytes` UTF-8 bytes, ending in "e\n". */
function csvOfExactly(bytes: number): { csv: string; rows: number } {
  const size = (text: string) => Buffer.byteLength(text, "utf8");
  const lines = ["email,name,plan\n"];
  let total = size(lines[0]!);
  const row = (i: number) => `r${i}@example.com,${"é".repeat(200)},${"è".repeat(40)}\n`;
  // Stop with 100 to 600 bytes left: one last row of at most 300 characters holds them.
  while (bytes - total - size(row(lines.length)) >= 100) {
    const line = row(lines.length);
    lines.push(line);
    total += size(line);
  }
  // The last row takes up what is left: name and plan of "é" (2 bytes) and one or two "e" (1 byte).
  const head = "last@example.com,";
  const left = bytes - total - size(head) - size(",\n");
  const wide = Math.floor((left - 1) / 2);
  const fill = "é".repeat(wide) + "e".repeat(left - 2 * wide);
  lines.push(`${head}${fill.slice(0, 200)},${fill.slice(200)}\n`);
  const csv = lines.join("");
  if (size(csv) !== bytes) throw new Error(`built ${size(csv)} bytes, wanted ${bytes}`);
  return { csv, rows: lines.length - 1 };
}
