import type { IntercomDataType } from "@/lib/intercom/schemas";

export const propertyTypes = ["text", "number", "boolean", "date"] as const;
export type PropertyType = (typeof propertyTypes)[number];

export const propertyTypeLabels: Record<PropertyType, string> = {
  text: "Text",
  number: "Number",
  boolean: "True / false",
  date: "Date",
};

/** The one Holdfast property type each Intercom data type may feed. */
const compatible: Record<IntercomDataType, PropertyType> = {
  string: "text",
  integer: "number",
  float: "number",
  boolean: "boolean",
  date: "date",
};

export function propertyTypeFor(dataType: string): PropertyType | null {
  return (compatible as Record<string, PropertyType>)[dataType] ?? null;
}

export function isCompatible(dataType: string, propertyType: PropertyType): boolean {
  return propertyTypeFor(dataType) === propertyType;
}

export function incompatibilityMessage(attributeLabel: string, dataType: string, propertyName: string, propertyType: PropertyType) {
  const wanted = propertyTypeFor(dataType);
  return wanted
    ? `"${attributeLabel}" is ${dataType} in Intercom, so it can only fill a ${propertyTypeLabels[wanted].toLowerCase()} property; "${propertyName}" is ${propertyTypeLabels[propertyType].toLowerCase()}.`
    : `"${attributeLabel}" has Intercom type ${dataType}, which Holdfast cannot store.`;
}
