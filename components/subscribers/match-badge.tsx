import { Badge } from "@/components/ui/badge";

export function MatchBadge({ match, candidates }: { match: "none" | "matched" | "ambiguous"; candidates: number }) {
  if (match === "matched") return <Badge tone="green">Matched</Badge>;
  if (match === "ambiguous") return <Badge tone="amber">Ambiguous ({candidates} contacts)</Badge>;
  return <Badge tone="slate">No Intercom match</Badge>;
}
