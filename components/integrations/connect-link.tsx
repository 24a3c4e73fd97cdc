import { buttonClass } from "@/components/ui/button";

// A plain anchor, not next/link: the target is a route handler that redirects off-site.
export const CONNECT_HREF = "/api/integrations/intercom/connect";

export function ConnectIntercomLink({ label = "Connect Intercom", variant = "primary" }: { label?: string; variant?: "primary" | "secondary" }) {
  return (
    <a href={CONNECT_HREF} className={buttonClass(variant)}>
      {label}
    </a>
  );
}
