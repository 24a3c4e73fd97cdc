import type { ReactNode } from "react";
import { ConnectIntercomLink } from "@/components/integrations/connect-link";
import { ConnectionStatusBadge } from "@/components/integrations/connection-status-badge";
import { IntercomMark } from "@/components/integrations/intercom-mark";
import { IntercomTabs } from "@/components/integrations/intercom-tabs";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { getConnectionStatus } from "@/lib/connections/connection-overview";

export default async function IntercomSettingsLayout({ children }: { children: ReactNode }) {
  const { accountId } = await requireAdmin();
  const status = await getConnectionStatus(accountId);
  return (
    <>
      <PageHeader
        breadcrumbs={[{ href: "/settings/integrations", label: "Integrations" }]}
        title={
          <span className="flex items-center gap-3">
            <IntercomMark size={32} />
            Intercom
          </span>
        }
        description="Sync contact attributes into Holdfast and send cancellation answers back to Intercom."
        actions={<ConnectionStatusBadge status={status?.status ?? null} workspaceName={status?.workspaceName} />}
      />
      {status?.status === "reconnect_required" ? (
        <div className="mb-6">
          <Notice tone="warning" title="Intercom needs to be reconnected">
            <p>
              Intercom stopped accepting Holdfast&apos;s access to {status.workspaceName}
              {status.statusReason ? ` (${status.statusReason})` : ""}. Syncing and writing answers to Intercom are paused until you
              reconnect.
            </p>
            <div className="mt-3">
              <ConnectIntercomLink label="Reconnect Intercom" />
            </div>
          </Notice>
        </div>
      ) : null}
      <IntercomTabs />
      {children}
    </>
  );
}
