export const PROPERTY_KEY_MAX = 64;
export const PROPERTY_KEY_PATTERN = /^[a-z][a-z0-9_]*$/;

/** "Plan name" -> "plan_name": keys are stable identifiers, so they never follow later renames. */
export function slugifyPropertyKey(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, PROPERTY_KEY_MAX)
    .replace(/_+$/, "");
  if (!slug) return `property_${nameTag(name)}`;
  return /^[a-z]/.test(slug) ? slug : `p_${slug}`.slice(0, PROPERTY_KEY_MAX);
}

/**
 * A short tag that only this name yields (32-bit FNV-1a, base 36), for names with nothing to
 * slug ("🔥🔥", "Тариф"): each gets a key of its own, where all of them used to get "property".
 * Pure arithmetic, so the browser's key preview matches what the server stores.
 */
function nameTag(name: string): string {
  const text = name.normalize("NFC").trim();
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}
