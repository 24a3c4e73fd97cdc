/** How each kind of alert reads in the app; unknown kinds fall back to the stored message alone. */
export const alertKindInfo: Record<string, { title: string; fixLabel: string; fallbackUrl: string }> = {
  connection_revoked: {
    title: "Intercom is no longer connected",
    fixLabel: "Reconnect Intercom",
    fallbackUrl: "/settings/integrations/intercom",
  },
  mapping_broken: {
    title: "An Intercom mapping is broken",
    fixLabel: "Fix the mapping",
    fallbackUrl: "/settings/integrations/intercom/questions",
  },
  failure_rate: {
    title: "Answers are failing to reach Intercom",
    fixLabel: "Review deliveries",
    fallbackUrl: "/deliveries",
  },
};

export const fallbackKindInfo = { title: "Something needs your attention", fixLabel: "Open", fallbackUrl: "/settings/alerts" };
