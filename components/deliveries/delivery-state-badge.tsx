import { Badge } from "@/components/ui/badge";
import type { DeliveryState } from "@/lib/deliveries/list-deliveries";
import { deliveryStateInfo } from "./delivery-state";

export function DeliveryStateBadge({ state }: { state: DeliveryState }) {
  const info = deliveryStateInfo[state];
  return (
    <span title={info.hint}>
      <Badge tone={info.tone}>{info.label}</Badge>
    </span>
  );
}
