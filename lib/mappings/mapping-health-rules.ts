import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import { checkQuestionMapping, type MappableQuestion } from "./question-mappings-rules";

export const PROPERTY_MAPPINGS_URL = "/settings/integrations/intercom/properties";
export const QUESTION_MAPPINGS_URL = "/settings/integrations/intercom/questions";

export type MappingDirection = "property" | "question";

/** Alert subject of one mapping: one open alert per broken mapping. */
export function mappingAlertSubject(direction: MappingDirection, mappingId: string): string {
  return `${direction}-mapping:${mappingId}`;
}

/** Where the admin fixes the mapping: its editor tab, scrolled to its row. */
export function mappingFixUrl(direction: MappingDirection, mappingId: string): string {
  return `${direction === "property" ? PROPERTY_MAPPINGS_URL : QUESTION_MAPPINGS_URL}#mapping-${mappingId}`;
}

/** The problems every mapping direction shares: gone, archived, or a different type than when it was mapped. */
function attributeDrift(attribute: IntercomDataAttribute | undefined, savedType: string): string | null {
  if (!attribute) return "deleted from Intercom";
  if (attribute.archived) return "archived in Intercom";
  if (attribute.data_type !== savedType) return `type changed from ${savedType} to ${attribute.data_type}`;
  return null;
}

/**
 * Why a property mapping (Intercom -> Holdfast) no longer works, or null when it does.
 * `attributes` is keyed by full_name ("email", "custom_attributes.plan_name").
 */
export function diagnosePropertyMapping(
  mapping: { intercomAttribute: string; intercomDataType: string },
  attributes: ReadonlyMap<string, IntercomDataAttribute>,
): string | null {
  return attributeDrift(attributes.get(mapping.intercomAttribute), mapping.intercomDataType);
}

/**
 * Why a question mapping (Holdfast -> Intercom) no longer works, or null when it does: the
 * shared drift checks first (their reasons name what changed in Intercom), then everything a
 * save would check, such as a list attribute that no longer offers one of the answer values.
 * `attributes` is keyed by name ("cancel_reason").
 */
export function diagnoseQuestionMapping(
  mapping: { intercomAttribute: string; intercomDataType: string; intercomOptions: string[] | null },
  question: MappableQuestion,
  attributes: ReadonlyMap<string, IntercomDataAttribute>,
): string | null {
  const attribute = attributes.get(mapping.intercomAttribute);
  const drift = attributeDrift(attribute, mapping.intercomDataType);
  if (drift) return drift;
  const problem = checkQuestionMapping(question, attribute, mapping.intercomAttribute);
  if (!problem) return null;
  const wasList = Boolean(mapping.intercomOptions?.length);
  const isList = Boolean(attribute?.options?.length);
  if (wasList && isList) return `options changed in Intercom: ${problem}`;
  if (!wasList && isList) return `became a list attribute in Intercom: ${problem}`;
  return problem;
}
