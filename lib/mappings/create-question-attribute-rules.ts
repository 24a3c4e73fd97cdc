import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import { optionValue } from "@/lib/flows/answer-value";
import type { MappableQuestion } from "./question-mappings-rules";

/** Intercom allows 250 active (non-archived) custom attributes per model. */
export const CUSTOM_ATTRIBUTE_CAP = 250;
/** From here on the editor warns that the workspace is close to the cap. */
export const CUSTOM_ATTRIBUTE_WARNING_AT = 240;

const NAME_MAX = 40;
/** Words a shortened name must not end on: "…_recommend_us_to_a" reads as cut mid-phrase. */
const DANGLING = new Set("a an the to of for and or in on at by with from us you your we our me my is are was be".split(" "));

export interface AttributeSpec {
  name: string;
  /** "options" creates a list attribute; it reads back as a string attribute with options. */
  data_type: "string" | "integer" | "options";
  description: string;
  options?: { value: string }[];
}

export type CapLevel = "ok" | "warning" | "full";

/** Active custom contact attributes: what counts against Intercom's cap. */
export function countCustomAttributes(attributes: IntercomDataAttribute[]): number {
  return attributes.filter((a) => a.custom && !a.archived && (a.model === undefined || a.model === "contact")).length;
}

export function capLevel(count: number): CapLevel {
  if (count >= CUSTOM_ATTRIBUTE_CAP) return "full";
  return count >= CUSTOM_ATTRIBUTE_WARNING_AT ? "warning" : "ok";
}

/**
 * A valid Intercom attribute name from the question's prompt: ASCII letters, digits and
 * underscores only (Intercom also allows spaces and hyphens, but never "." or "$"), kept short
 * by whole words (a shortened name drops its dangling little words), and made unique against
 * every existing name, archived ones included, case-insensitively.
 */
export function attributeNameFor(prompt: string, takenNames: Iterable<string>): string {
  const taken = new Set([...takenNames].map((n) => n.toLowerCase()));
  const words = prompt
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const kept: string[] = [];
  for (const word of words) {
    if ([...kept, word].join("_").length > NAME_MAX) {
      while (kept.length > 1 && DANGLING.has(kept.at(-1)!)) kept.pop();
      break;
    }
    kept.push(word);
  }
  const base = kept.join("_") || words[0]?.slice(0, NAME_MAX) || "cancellation_answer";
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, NAME_MAX - String(n).length - 1)}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * What to create in Intercom for a question: multiple choice -> a list attribute whose options are
 * exactly the values answers send (reason codes, else option texts); free text -> text; rating ->
 * integer. Null with a reason when no attribute can hold the answers.
 */
export function attributeSpecFor(
  question: MappableQuestion,
  takenNames: Iterable<string>,
): { ok: true; spec: AttributeSpec } | { ok: false; error: string } {
  const name = attributeNameFor(question.prompt, takenNames);
  const description = `Holdfast cancellation survey: ${question.prompt}`.slice(0, 255);
  if (question.kind === "free_text") return { ok: true, spec: { name, data_type: "string", description } };
  if (question.kind === "rating") return { ok: true, spec: { name, data_type: "integer", description } };
  const values = [...new Set(question.options.map(optionValue))];
  if (values.length < 2) {
    return { ok: false, error: "A list attribute needs at least two different options; add options (or reason codes) to this question first." };
  }
  return { ok: true, spec: { name, data_type: "options", description, options: values.map((value) => ({ value })) } };
}
