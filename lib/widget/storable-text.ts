// Postgres refuses NUL in text, and jsonb refuses unpaired surrogate escapes: such strings are
// turned away at the door with a 400 rather than failing in the database with a 500.

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !UNPAIRED_SURROGATE.test(value);
}

export const UNSTORABLE_TEXT_MESSAGE = "must not contain NUL characters or broken Unicode";
