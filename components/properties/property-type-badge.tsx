import { Badge } from "@/components/ui/badge";
import { propertyTypeLabels, type PropertyType } from "@/lib/properties/types";

const tones: Record<PropertyType, "blue" | "green" | "amber" | "slate"> = {
  text: "slate",
  number: "blue",
  boolean: "green",
  date: "amber",
};

export function PropertyTypeBadge({ type }: { type: PropertyType }) {
  return <Badge tone={tones[type]}>{propertyTypeLabels[type]}</Badge>;
}
