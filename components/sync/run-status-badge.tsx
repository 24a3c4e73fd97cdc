import { Badge } from "@/components/ui/badge";

const looks: Record<string, { tone: "green" | "amber" | "red" | "blue" | "slate"; label: string }> = {
  running: { tone: "blue", label: "Running" },
  succeeded: { tone: "green", label: "Succeeded" },
  partial: { tone: "amber", label: "Partial" },
  failed: { tone: "red", label: "Failed" },
};

export function RunStatusBadge({ status }: { status: string }) {
  const look = looks[status] ?? { tone: "slate" as const, label: status };
  return <Badge tone={look.tone}>{look.label}</Badge>;
}
