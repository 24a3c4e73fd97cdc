import { getConnectionStatus } from "@/lib/connections/connection-overview";
import { ConnectIntercomLink } from "./connect-link";
import { HideOnPath } from "./hide-on-path";

/**
 * Site-wide warning when Intercom stopped accepting the account's token. The Intercom settings
 * section shows its own version, so the banner stays out of it.
 */
export async function ReconnectBanner({ accountId }: { accountId: string }) {
  const status = await getConnectionStatus(accountId);
  if (status?.status !== "reconnect_required") return null;
  return (
    <HideOnPath prefix="/settings/integrations/intercom">
      <div role="alert" className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
        <div>
          <p className="font-medium">Intercom needs to be reconnected</p>
          <p className="mt-0.5">
            Intercom stopped accepting Holdfast&apos;s access to {status.workspaceName}. Syncing contacts and writing survey answers
            to Intercom are paused until you reconnect.
          </p>
        </div>
        <ConnectIntercomLink label="Reconnect Intercom" />
      </div>
    </HideOnPath>
  );
}
