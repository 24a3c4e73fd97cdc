/** One CSV record and the physical line it starts on (a quoted field may span several lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * RFC 4180 CSV with the leniencies spreadsheets need: LF, CRLF or lone CR line ends, a leading
 * byte-order mark, "" inside quoted fields, and blank lines skipped (a pasted file often ends with
 * several). A quote inside an unquoted field is kept as a literal character.
 */
export function parseCsv(text: string): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quoteLine = 1;
  // Distinguishes a blank line (skipped) from a record holding one empty quoted field ("").
  let recordHasContent = false;

  const endRecord = () => {
    fields.push(field);
    if (recordHasContent || fields.length > 1 || field !== "") records.push({ line: recordLine, fields });
    fields = [];
    field = "";
    recordHasContent = false;
  };

  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        if (ch === "\n" || (ch === "\r" && input[i + 1] !== "\n")) line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === "") {
      inQuotes = true;
      quoteLine = line;
      recordHasContent = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      recordHasContent = true;
    } else if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && input[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (inQuotes) throw new CsvParseError(`A quoted value opened on line ${quoteLine} is never closed.`, quoteLine);
  endRecord();
  return records;
}
