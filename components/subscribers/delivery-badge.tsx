import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { AnswerDelivery } from "@/lib/subscribers/subscriber-detail";
import { TimeAgo } from "./time-ago";

/** Where an answer stands on its way to Intercom, with the reason when it is stuck. */
export function DeliveryBadge({ delivery }: { delivery: AnswerDelivery }) {
  switch (delivery.state) {
    case "not_mapped":
      return (
        <Detail badge={<Badge tone="slate">Not mapped</Badge>}>This question is not mapped to an Intercom attribute, so the answer stays in Holdfast.</Detail>
      );
    case "pending":
      return (
        <Detail badge={<Badge tone="blue">Pending</Badge>}>
          {delivery.attempts > 0 ? `Retrying (attempt ${delivery.attempts + 1}). ${delivery.lastError ?? ""}` : "Queued for Intercom."}
        </Detail>
      );
    case "delivered":
      return (
        <Detail badge={<Badge tone="green">Delivered</Badge>}>
          Written to <code className="font-mono">{delivery.attribute}</code>
          {delivery.deliveredAt ? (
            <>
              {" "}
              <TimeAgo date={delivery.deliveredAt} />
            </>
          ) : null}
          {delivery.truncated ? " (shortened to Intercom's 255-character limit)" : ""}
        </Detail>
      );
    case "unknown":
      return (
        <Detail badge={<Badge tone="amber">Unconfirmed</Badge>}>
          Intercom did not confirm the write in time; Holdfast will check again. {delivery.lastError ?? ""}
        </Detail>
      );
    case "needs_attention":
      return <Detail badge={<Badge tone="amber">Needs attention</Badge>}>{delivery.lastError ?? "Waiting for an admin to fix the Intercom connection or mapping."}</Detail>;
    case "failed":
      return <Detail badge={<Badge tone="red">Failed</Badge>}>{delivery.reason ?? "Intercom rejected this value."}</Detail>;
    case "superseded":
      return <Detail badge={<Badge tone="slate">Superseded</Badge>}>A newer answer to this question was sent to Intercom instead.</Detail>;
  }
}

function Detail({ badge, children }: { badge: ReactNode; children: ReactNode }) {
  return (
    <div className="space-y-1">
      {badge}
      <p className="max-w-xs text-xs text-slate-500">{children}</p>
    </div>
  );
}
