import { WidgetApiError } from "./widget-api";

export type WidgetStep = "start" | "answer" | "complete";

const NETWORK = "We couldn't reach the server. Check your connection and try again.";

/**
 * What the subscriber in the widget is told when a request fails. Holdfast's own error text is
 * written for the developer installing the widget (wrong key, bad signature, field names): it
 * stays in the response body and the browser console, never in front of the customer.
 */
export function customerMessage(step: WidgetStep, err: unknown): string {
  const status = err instanceof WidgetApiError ? err.status : -1;
  if (status === 0) return NETWORK;
  if (step === "start") return "It isn't available right now.";
  if (status === 401 || status === 404) return "This form has expired. Close it and open it again to continue.";
  if (status === 409) return "This form was already completed.";
  if (step === "answer" && status === 400) return "Your answer could not be saved. Check it and try again.";
  return "Something went wrong on our side. Try again in a moment.";
}
