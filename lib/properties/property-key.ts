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
  if (!slug) return "property";
  return /^[a-z]/.test(slug) ? slug : `p_${slug}`.slice(0, PROPERTY_KEY_MAX);
}
