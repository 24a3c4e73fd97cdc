import Link from "next/link";
import { DISMISSIBLE_KINDS, listOpenAlerts } from "@/lib/alerts/list-alerts";
import { getConnectionStatus } from "@/lib/connections/connection-overview";
import { alertKindInfo, fallbackKindInfo } from "./alert-kind";
import { DismissAlertButton } from "./dismiss-alert-button";

const SHOWN = 3;

/** Open alerts at the top of every admin page, each with the way to fix it. */
export async function OpenAlertsNotice({ accountId }: { accountId: string }) {
  const [open, connection] = await Promise.all([listOpenAlerts(accountId), getConnectionStatus(accountId)]);
  // The reconnect banner already says this, with the reconnect button, whenever the token stopped working.
  const alerts = open.filter((a) => !(a.kind === "connection_revoked" && connection?.status === "reconnect_required"));
  if (alerts.length === 0) return null;
  const hidden = alerts.length - SHOWN;
  return (
    <div className="mb-6 space-y-2">
      {alerts.slice(0, SHOWN).map((alert) => {
        const info = alertKindInfo[alert.kind] ?? fallbackKindInfo;
        return (
          <div
            key={alert.id}
            role="alert"
            className="flex flex-wrap items-start justify-between gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
          >
            <div className="min-w-0 flex-1">
              <p className="font-medium">{info.title}</p>
              <p className="mt-0.5 break-words">{alert.message}</p>
            </div>
            <div className="flex items-center gap-2">
              <Link
                href={alert.fixUrl ?? info.fallbackUrl}
                className="rounded-md bg-white px-3 py-1.5 text-sm font-medium text-amber-900 shadow-sm ring-1 ring-amber-300 hover:bg-amber-100"
              >
                {info.fixLabel}
              </Link>
              {DISMISSIBLE_KINDS.includes(alert.kind) ? <DismissAlertButton alertId={alert.id} /> : null}
            </div>
          </div>
        );
      })}
      {hidden > 0 ? (
        <p className="text-sm text-amber-900">
          And {hidden} more.{" "}
          <Link href="/settings/alerts" className="font-medium underline hover:no-underline">
            See all alerts
          </Link>
        </p>
      ) : null}
    </div>
  );
}
