import { pickContact, type ContactCandidate } from "@/lib/matching/email";

export type PickReason = "user_over_lead" | "external_id" | "most_recent" | "tie_break" | "unknown";

/**
 * Which of pickContact's rules set the chosen contact apart from the runner-up, so an admin can
 * see why Holdfast linked this contact when several share the email.
 */
export function explainPick(chosenId: string | null, candidates: ContactCandidate[], subscriberExternalId: string | null): PickReason {
  const chosen = candidates.find((c) => c.contactId === chosenId);
  const runnerUp = pickContact(
    candidates.filter((c) => c.contactId !== chosenId),
    subscriberExternalId,
  );
  if (!chosen || !runnerUp) return "unknown";
  if (chosen.role !== runnerUp.role) return chosen.role === "user" ? "user_over_lead" : "unknown";
  const owns = (c: ContactCandidate) => Boolean(subscriberExternalId) && c.externalId === subscriberExternalId;
  if (owns(chosen) !== owns(runnerUp)) return owns(chosen) ? "external_id" : "unknown";
  if (chosen.updatedAt !== runnerUp.updatedAt) return chosen.updatedAt > runnerUp.updatedAt ? "most_recent" : "unknown";
  return "tie_break";
}

export const pickReasonText: Record<PickReason, string> = {
  user_over_lead: "Holdfast picked this contact because it is a user, and users are preferred over leads.",
  external_id: "Holdfast picked this contact because its external ID matches this subscriber's external ID.",
  most_recent: "Holdfast picked this contact because it was the most recently updated in Intercom.",
  tie_break:
    "These contacts look alike (same role, no matching external ID, same last update), so Holdfast picked one by contact ID so every sync links the same contact. Consider merging the duplicates in Intercom.",
  unknown:
    "Holdfast prefers a user over a lead, then the contact whose external ID matches this subscriber, then the most recently updated contact.",
};
