import type { Metadata } from "next";
import { ConnectionStatusBadge } from "@/components/integrations/connection-status-badge";
import { IntercomMark } from "@/components/integrations/intercom-mark";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { getConnectionStatus } from "@/lib/connections/connection-overview";

export const metadata: Metadata = { title: "Integrations" };

export default async function IntegrationsPage() {
  const { accountId } = await requireAdmin();
  const status = await getConnectionStatus(accountId);
  return (
    <>
      <PageHeader title="Integrations" description="Connect the tools your team already uses, so subscriber data and cancellation answers flow both ways." />
      <div className="grid gap-6 md:grid-cols-2">
        <Card className="flex flex-col">
          <div className="flex flex-1 flex-col gap-4 px-6 py-5">
            <div className="flex items-start justify-between gap-4">
              <IntercomMark />
              <ConnectionStatusBadge status={status?.status ?? null} workspaceName={status?.workspaceName} />
            </div>
            <div>
              <h2 className="text-base font-semibold text-slate-900">Intercom</h2>
              <p className="mt-1 text-sm text-slate-500">
                Bring Intercom contact attributes into subscriber properties, write cancellation answers back to contacts, and
                open any subscriber in Intercom with one click.
              </p>
            </div>
            {status?.status === "reconnect_required" ? (
              <p className="text-sm text-amber-800">Intercom no longer accepts Holdfast&apos;s access. Reconnect to resume syncing.</p>
            ) : null}
          </div>
          <div className="flex justify-end border-t border-slate-100 px-6 py-3">
            <ButtonLink href="/settings/integrations/intercom" variant={status?.status === "connected" ? "secondary" : "primary"}>
              Configure
            </ButtonLink>
          </div>
        </Card>
        <div className="flex flex-col justify-center rounded-xl border border-dashed border-slate-300 px-6 py-8 text-center">
          <p className="text-sm font-medium text-slate-700">More integrations are on the way</p>
          <p className="mx-auto mt-1 max-w-xs text-sm text-slate-500">Tell us which help desk or CRM you would like to connect next.</p>
        </div>
      </div>
    </>
  );
}
