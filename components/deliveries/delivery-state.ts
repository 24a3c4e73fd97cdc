import type { IntercomConnection } from "@/lib/connections/intercom-connection";
import type { DeliveryState } from "@/lib/deliveries/list-deliveries";

type Tone = "green" | "amber" | "red" | "slate" | "blue";

/** Tab order: what needs an admin first, then the rest of the pipeline. */
export const deliveryStateOrder: DeliveryState[] = ["needs_attention", "failed", "unknown", "pending", "delivered", "superseded"];

export const deliveryStateInfo: Record<DeliveryState, { label: string; tone: Tone; hint: string }> = {
  pending: { label: "Pending", tone: "blue", hint: "Queued or waiting to retry after a temporary Intercom error." },
  delivered: { label: "Delivered", tone: "green", hint: "Intercom stored the value on the contact." },
  // "unknown" in the data: Intercom may or may not have applied the write.
  unknown: {
    label: "Unconfirmed",
    tone: "amber",
    hint: "Intercom did not answer in time, so it may already have the value. Holdfast keeps re-sending the same value (at most hourly after 8 tries) until Intercom confirms it; Retry now sends it at once.",
  },
  needs_attention: { label: "Needs attention", tone: "amber", hint: "Waiting for you to fix a mapping or the contact link." },
  failed: { label: "Failed", tone: "red", hint: "Holdfast gave up retrying; retry by hand once Intercom is healthy." },
  superseded: { label: "Superseded", tone: "slate", hint: "A newer answer to the same question was sent instead." },
};

/** States an admin can push back into the queue from the page. */
export const retryableStates: DeliveryState[] = ["failed", "needs_attention", "unknown"];

/**
 * Why a queued answer is not being sent, when the reason is the connection: claims skip an
 * account that is not connected, so such rows show no attempt and no Intercom error of their own.
 */
export function connectionWaitReason(state: DeliveryState, connection: Pick<IntercomConnection, "status"> | null): string | null {
  if (state !== "pending" && state !== "unknown") return null;
  if (!connection) return "Waiting: Intercom is not connected — connect to send";
  if (connection.status === "disconnected") return "Waiting: Intercom is disconnected — reconnect to send";
  if (connection.status === "reconnect_required") return "Waiting: Intercom needs reconnecting — reconnect to send";
  return null;
}
