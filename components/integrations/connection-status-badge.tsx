import { Badge } from "@/components/ui/badge";

type Status = "connected" | "reconnect_required" | "disconnected";

export function ConnectionStatusBadge({ status, workspaceName }: { status: Status | null; workspaceName?: string }) {
  if (status === "connected") return <Badge tone="green">{workspaceName ? `Connected to ${workspaceName}` : "Connected"}</Badge>;
  if (status === "reconnect_required") return <Badge tone="amber">Reconnect required</Badge>;
  return <Badge tone="slate">Not connected</Badge>;
}
