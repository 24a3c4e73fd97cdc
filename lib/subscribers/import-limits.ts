// How much one CSV import may hold. Shared by the import form (which checks before uploading)
// and the server, so both count the same thing: UTF-8 bytes, which is what travels, not
// characters (an accented letter is 2 bytes).

/** Sent as a file to the server action, whose body limit (next.config.mjs) leaves room above this. */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

/** Why `csv` is too large to import, naming the limit, or null. */
export function importSizeProblem(csv: string): string | null {
  const bytes = new TextEncoder().encode(csv).byteLength;
  if (bytes <= MAX_IMPORT_BYTES) return null;
  return `This file is ${megabytes(bytes)}; import at most ${megabytes(MAX_IMPORT_BYTES)} at a time. Split it into smaller files and import each.`;
}

// Rounded up, so a file just over the limit never reads as the limit itself.
function megabytes(bytes: number): string {
  return `${Math.ceil((bytes / (1024 * 1024)) * 10) / 10} MB`;
}
