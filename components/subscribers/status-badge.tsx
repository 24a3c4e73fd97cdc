import { Badge } from "@/components/ui/badge";

const tones: Record<string, "green" | "amber" | "red" | "blue"> = {
  active: "green",
  trialing: "blue",
  past_due: "amber",
  paused: "amber",
  canceled: "red",
  cancelled: "red",
};

/** Billing status as imported; unknown statuses are shown as they are, in grey. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={tones[status] ?? "slate"}>{status.replace(/_/g, " ")}</Badge>;
}
