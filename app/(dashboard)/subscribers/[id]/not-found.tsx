import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/notice";

export default function SubscriberNotFound() {
  return (
    <EmptyState title="Subscriber not found" action={<ButtonLink href="/subscribers">Back to subscribers</ButtonLink>}>
      This subscriber does not exist in your account. It may have been removed, or the link is wrong.
    </EmptyState>
  );
}
