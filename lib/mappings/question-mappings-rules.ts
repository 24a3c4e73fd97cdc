import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import { optionValue } from "@/lib/flows/answer-value";

export type QuestionKind = "multiple_choice" | "free_text" | "rating";

export interface MappableQuestion {
  id: string;
  kind: QuestionKind;
  prompt: string;
  options: { text: string; reasonCode: string | null }[];
}

/** Attributes an answer may be written to: the admin's own, writable by the API, not archived. */
export function isWritableCustomAttribute(a: IntercomDataAttribute): boolean {
  return a.custom && a.api_writable && !a.archived && (a.model === undefined || a.model === "contact");
}

const kindLabel: Record<QuestionKind, string> = {
  multiple_choice: "Multiple-choice",
  free_text: "Free-text",
  rating: "Rating",
};

/** Why this question's answers cannot go into this attribute, or null when they can. */
export function checkQuestionMapping(question: MappableQuestion, attribute: IntercomDataAttribute | undefined, name: string): string | null {
  if (!attribute) return `Intercom has no custom attribute named "${name}". Refresh the list and pick another.`;
  const label = attribute.label || attribute.name;
  if (!attribute.custom) return `"${label}" is a standard Intercom attribute; answers can only go into custom attributes.`;
  if (attribute.archived) return `"${label}" is archived in Intercom. Unarchive it there or pick another attribute.`;
  if (!attribute.api_writable) return `"${label}" is read-only for apps in Intercom.`;

  if (question.kind === "rating") {
    if (attribute.data_type !== "integer" && attribute.data_type !== "float") {
      return `Rating answers are numbers, but "${label}" is a ${attribute.data_type} attribute. Pick a number (integer or decimal) attribute.`;
    }
    return null;
  }
  if (attribute.data_type !== "string") {
    return `${kindLabel[question.kind]} answers are text, but "${label}" is a ${attribute.data_type} attribute. Pick a text attribute.`;
  }
  const allowed = attribute.options;
  if (!allowed?.length) return null;
  if (question.kind === "free_text") {
    return `"${label}" is a list attribute with fixed options (${allowed.join(", ")}); free-text answers can't be stored in it.`;
  }
  const outside = question.options.map(optionValue).filter((v) => !allowed.includes(v));
  if (outside.length) {
    return `"${label}" only accepts ${allowed.map((o) => `"${o}"`).join(", ")}. These answers would be rejected: ${outside
      .map((v) => `"${v}"`)
      .join(", ")}. Give those options matching reason codes in the flow editor.`;
  }
  return null;
}
