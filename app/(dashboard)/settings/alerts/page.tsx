import type { Metadata } from "next";
import Link from "next/link";
import { alertKindInfo, fallbackKindInfo } from "@/components/alerts/alert-kind";
import { formatDateTime, formatRelative } from "@/components/integrations/format-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { getAlertSettings } from "@/lib/alerts/alert-settings";
import { listRecentAlerts, type Alert } from "@/lib/alerts/list-alerts";
import { requireAdmin } from "@/lib/auth/session";
import { AlertSettingsClient } from "./alert-settings-client";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsSettingsPage() {
  const { accountId } = await requireAdmin();
  const [settings, recent] = await Promise.all([getAlertSettings(accountId), listRecentAlerts(accountId)]);
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Holdfast warns you when Intercom access is revoked, a mapping breaks, or too many answers fail to reach Intercom."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_26rem]">
        <RecentAlerts alerts={recent} webhookOn={Boolean(settings.webhookUrl)} />
        <AlertSettingsClient settings={settings} />
      </div>
    </>
  );
}

function RecentAlerts({ alerts, webhookOn }: { alerts: Alert[]; webhookOn: boolean }) {
  return (
    <Card className="self-start">
      <CardHeader title="Recent alerts" description="The last 20, newest first. Open alerts also show at the top of every page." />
      {alerts.length === 0 ? (
        <CardBody>
          <EmptyState title="No alerts so far">
            All clear. Alerts appear here when something stops answers or contact data from flowing between Holdfast and Intercom.
          </EmptyState>
        </CardBody>
      ) : (
        <ul className="divide-y divide-slate-100">
          {alerts.map((alert) => {
            const info = alertKindInfo[alert.kind] ?? fallbackKindInfo;
            return (
              <li key={alert.id} className="space-y-1.5 px-6 py-4 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  {alert.resolvedAt ? <Badge tone="slate">Resolved</Badge> : <Badge tone="amber">Open</Badge>}
                  <span className="font-medium text-slate-900">{info.title}</span>
                  <span className="ml-auto text-xs text-slate-500" title={formatDateTime(alert.createdAt)}>
                    {formatRelative(alert.createdAt)}
                  </span>
                </div>
                <p className="break-words text-slate-600">{alert.message}</p>
                <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-500">
                  {alert.resolvedAt ? <span title={formatDateTime(alert.resolvedAt)}>Resolved {formatRelative(alert.resolvedAt)}</span> : null}
                  <WebhookStatus alert={alert} webhookOn={webhookOn} />
                  {!alert.resolvedAt ? (
                    <Link href={alert.fixUrl ?? info.fallbackUrl} className="font-medium text-brand-600 hover:text-brand-700">
                      {info.fixLabel} →
                    </Link>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

function WebhookStatus({ alert, webhookOn }: { alert: Alert; webhookOn: boolean }) {
  if (alert.webhookDeliveredAt) return <span className="text-emerald-700">Webhook delivered</span>;
  if (alert.webhookError) return <span className="text-red-700">Webhook failed: {alert.webhookError}</span>;
  return webhookOn ? <span>Webhook not sent</span> : null;
}
