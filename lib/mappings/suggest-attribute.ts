import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import { checkQuestionMapping, type MappableQuestion, type QuestionKind } from "./question-mappings-rules";

/** Words that name a cancellation-survey attribute, whatever the question. */
const SURVEY_WORDS = ["cancel", "cancellation", "churn", "survey", "exit"];
/** Words that name an attribute for one kind of answer. */
const KIND_WORDS: Record<QuestionKind, string[]> = {
  multiple_choice: ["reason", "code", "why", "cause"],
  free_text: ["comment", "feedback", "note", "text", "improve"],
  rating: ["rating", "score", "nps", "recommend", "likely"],
};

const words = (text: string) =>
  text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/['’]/g, "")
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3);

// "cancel" names what "cancelling" asks about; short words must match exactly.
const sameWord = (a: string, b: string) => a === b || (Math.min(a.length, b.length) >= 5 && (a.startsWith(b) || b.startsWith(a)));

/**
 * The existing attribute that fits the question's answers (checkQuestionMapping accepts it) and
 * whose name or label speaks of it: the survey, the kind of answer, or the prompt's own words.
 * Null when no fitting attribute says anything of the sort: a type match alone (any text
 * attribute for a free-text answer) is no reason to suggest "Plan name".
 */
export function suggestAttribute(
  question: MappableQuestion,
  attributes: IntercomDataAttribute[],
  taken: ReadonlySet<string>,
): IntercomDataAttribute | null {
  const wanted = [...SURVEY_WORDS, ...KIND_WORDS[question.kind], ...words(question.prompt)];
  let best: { attribute: IntercomDataAttribute; score: number } | null = null;
  for (const attribute of attributes) {
    if (taken.has(attribute.name) || checkQuestionMapping(question, attribute, attribute.name) !== null) continue;
    const own = new Set([...words(attribute.name), ...words(attribute.label ?? "")]);
    const score = [...own].filter((w) => wanted.some((x) => sameWord(w, x))).length;
    if (score > 0 && (!best || score > best.score)) best = { attribute, score };
  }
  return best?.attribute ?? null;
}
