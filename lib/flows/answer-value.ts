/** Intercom string attributes hold 255 characters (third-party documented). */
export const INTERCOM_STRING_LIMIT = 255;

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * Cuts text to at most `limit` code points, at a grapheme boundary, so an emoji, a flag or a
 * letter with its accent is kept whole or dropped whole, never split.
 */
export function truncateForIntercom(text: string, limit = INTERCOM_STRING_LIMIT): { value: string; truncated: boolean } {
  if (Array.from(text).length <= limit) return { value: text, truncated: false };
  let out = "";
  let count = 0;
  for (const { segment } of segmenter.segment(text)) {
    const size = Array.from(segment).length;
    if (count + size > limit) break;
    out += segment;
    count += size;
  }
  return { value: out, truncated: true };
}

/** What a multiple-choice answer sends: the stable reason code when set, else the option text. */
export function optionValue(option: { text: string; reasonCode: string | null }): string {
  const code = option.reasonCode?.trim();
  return code ? code : option.text;
}
