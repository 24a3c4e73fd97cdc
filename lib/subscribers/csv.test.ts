import { describe, expect, it } from "vitest";
import { CsvParseError, parseCsv } from "./csv";

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

describe("parseCsv", () => {
  it("splits plain records on commas and newlines", () => {
    expect(fieldsOf("email,name\na@x.io,Ann\nb@x.io,Bo")).toEqual([
      ["email", "name"],
      ["a@x.io", "Ann"],
      ["b@x.io", "Bo"],
    ]);
  });

  it("keeps commas, doubled quotes and newlines inside quoted fields", () => {
    expect(fieldsOf('name,note\n"Doe, Jane","said ""hi""\nthen left"')).toEqual([
      ["name", "note"],
      ["Doe, Jane", 'said "hi"\nthen left'],
    ]);
  });

  it("accepts CRLF and lone CR line ends the same as LF", () => {
    expect(fieldsOf("a,b\r\n1,2\r\n")).toEqual([["a", "b"], ["1", "2"]]);
    expect(fieldsOf("a,b\r1,2\r")).toEqual([["a", "b"], ["1", "2"]]);
    expect(fieldsOf('a\r\n"x\r\ny"\r\n')).toEqual([["a"], ["x\r\ny"]]);
  });

  it("keeps empty fields, including trailing ones", () => {
    expect(fieldsOf("a,,c,\n,,,")).toEqual([
      ["a", "", "c", ""],
      ["", "", "", ""],
    ]);
  });

  it("skips blank lines but keeps a record holding one empty quoted field", () => {
    expect(fieldsOf('a\n\n\nb\n""\n\n')).toEqual([["a"], ["b"], [""]]);
  });

  it("reports the physical line each record starts on", () => {
    const records = parseCsv('h1,h2\n\n"multi\nline",x\r\nlast,y\n');
    expect(records.map((r) => r.line)).toEqual([1, 3, 5]);
  });

  it("strips a leading byte-order mark so the first header matches", () => {
    expect(fieldsOf("\uFEFFemail\na@x.io")[0]).toEqual(["email"]);
  });

  it("keeps a stray quote inside an unquoted field as text", () => {
    expect(fieldsOf('5" screen,ok')).toEqual([['5" screen', "ok"]]);
  });

  it("returns nothing for empty input", () => {
    expect(parseCsv("")).toEqual([]);
    expect(parseCsv("\n\r\n")).toEqual([]);
  });

  it("rejects an unclosed quote with the line it opened on", () => {
    const error = captureError(() => parseCsv('a,b\n1,"open\n2,3'));
    expect(error).toBeInstanceOf(CsvParseError);
    expect((error as CsvParseError).line).toBe(2);
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return null;
}
