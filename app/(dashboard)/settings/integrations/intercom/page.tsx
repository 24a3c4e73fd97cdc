import type { Metadata } from "next";
import Link from "next/link";
import { ConnectIntercomLink } from "@/components/integrations/connect-link";
import { formatDateTime, formatRelative } from "@/components/integrations/format-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState, Notice } from "@/components/ui/notice";
import { requireAdmin } from "@/lib/auth/session";
import { connectErrorNotice } from "@/lib/connections/connect-errors";
import { getIntercomOverview, type ConnectionSummary, type LastSyncRun } from "@/lib/connections/connection-overview";
import { DeliveryCountsCard } from "@/components/deliveries/delivery-counts-card";
import { DisconnectButton } from "./disconnect-button";

export const metadata: Metadata = { title: "Intercom" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const REGION_LABELS: Record<string, string> = { US: "United States", EU: "Europe", AU: "Australia" };

export default async function IntercomOverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const { accountId } = await requireAdmin();
  const [params, overview] = await Promise.all([searchParams, getIntercomOverview(accountId)]);
  const { connection, connectedBy, lastRun } = overview;
  const live = connection && connection.status !== "disconnected" ? connection : null;
  return (
    <div className="space-y-6">
      <ResultNotice params={params} connection={live} />
      {live ? (
        <>
          <WorkspaceCard connection={live} connectedBy={connectedBy} />
          <SyncStatusCard lastRun={lastRun} />
          <DeliveryCountsCard accountId={accountId} />
        </>
      ) : (
        <ConnectCard previous={connection} />
      )}
    </div>
  );
}

function ResultNotice({ params, connection }: { params: Record<string, string | string[] | undefined>; connection: ConnectionSummary | null }) {
  if (params.connected === "1") {
    return (
      <Notice tone="success" title="Intercom is connected">
        A full sync of your contacts has been scheduled. Map Intercom attributes to subscriber properties under Property mappings.
      </Notice>
    );
  }
  if (params.disconnected === "1" || params.disconnected === "unconfirmed") {
    return (
      <Notice tone={params.disconnected === "1" ? "success" : "warning"} title="Intercom is disconnected">
        {params.disconnected === "1"
          ? "Holdfast's access was removed from Intercom. Your mappings are kept for when you reconnect."
          : "Holdfast forgot its access, but Intercom could not confirm the app was removed. You can remove Holdfast under Settings > Apps in Intercom."}
      </Notice>
    );
  }
  if (params.error === undefined) return null;
  const { title, message } = connectErrorNotice(String(params.error), connection);
  return (
    <Notice tone="error" title={title}>
      {message}
    </Notice>
  );
}

function ConnectCard({ previous }: { previous: ConnectionSummary | null }) {
  return (
    <Card>
      <CardHeader title="Connect your Intercom workspace" description="You will be asked to approve access in Intercom; it takes a few seconds." />
      <CardBody className="space-y-5">
        <ul className="grid gap-4 text-sm text-slate-600 sm:grid-cols-3">
          <li>
            <p className="font-medium text-slate-900">Contact attributes in, automatically</p>
            Map Intercom attributes to subscriber properties; Holdfast keeps them up to date.
          </li>
          <li>
            <p className="font-medium text-slate-900">Cancellation answers out</p>
            Survey answers are written to the contact&apos;s custom attributes, ready for segments and reports.
          </li>
          <li>
            <p className="font-medium text-slate-900">View in Intercom</p>
            Jump from any subscriber straight to their Intercom profile.
          </li>
        </ul>
        {previous ? (
          <Notice tone="info">
            Previously connected to <strong>{previous.workspaceName}</strong>. Your property and question mappings were kept and
            apply again when you reconnect.
          </Notice>
        ) : null}
        <ConnectIntercomLink />
      </CardBody>
    </Card>
  );
}

function WorkspaceCard({ connection, connectedBy }: { connection: ConnectionSummary; connectedBy: { name: string; email: string } | null }) {
  const rows: [string, string][] = [
    ["Workspace", connection.workspaceName],
    ["Workspace ID", connection.workspaceId],
    ["Region", REGION_LABELS[connection.region] ?? connection.region],
    ["Timezone", connection.timezone ?? "Not reported by Intercom (syncs search two days back)"],
    ["Connected", formatDateTime(connection.connectedAt)],
    ["Connected by", connectedBy ? `${connectedBy.name} (${connectedBy.email})` : "—"],
  ];
  return (
    <Card>
      <CardHeader
        title="Connected workspace"
        description="Holdfast reads contacts from and writes survey answers to this workspace."
        actions={connection.status === "reconnect_required" ? <ConnectIntercomLink label="Reconnect Intercom" /> : null}
      />
      <CardBody className="space-y-6">
        <dl className="grid gap-x-8 gap-y-4 sm:grid-cols-2 lg:grid-cols-3">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
              <dd className="mt-1 break-words text-sm text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
        <div className="flex border-t border-slate-100 pt-5">
          <DisconnectButton workspaceName={connection.workspaceName} />
        </div>
      </CardBody>
    </Card>
  );
}

function runTone(status: string) {
  if (status === "running") return "blue" as const;
  if (status === "failed") return "red" as const;
  if (["succeeded", "completed", "success", "ok"].includes(status)) return "green" as const;
  return "amber" as const;
}

function SyncStatusCard({ lastRun }: { lastRun: LastSyncRun | null }) {
  return (
    <Card>
      <CardHeader
        title="Sync status"
        description="Contact attributes are synced from Intercom every few minutes."
        actions={
          <Link href="/settings/integrations/intercom/sync" className="text-sm font-medium text-brand-600 hover:text-brand-700">
            View sync details →
          </Link>
        }
      />
      <CardBody>
        {lastRun ? (
          <div className="space-y-4">
            <div className="flex flex-wrap items-center gap-3 text-sm">
              <Badge tone={runTone(lastRun.status)}>{lastRun.status.replace(/_/g, " ")}</Badge>
              <span className="text-slate-600" title={formatDateTime(lastRun.finishedAt ?? lastRun.startedAt)}>
                {lastRun.finishedAt ? `Finished ${formatRelative(lastRun.finishedAt)}` : `Started ${formatRelative(lastRun.startedAt)}`}
              </span>
              <span className="text-slate-400">·</span>
              <span className="text-slate-600">{lastRun.mode === "full" ? "Full sync" : "Incremental sync"}</span>
            </div>
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
              <Stat label="Contacts read" value={lastRun.contactsRead} />
              <Stat label="Matched to subscribers" value={lastRun.contactsMatched} />
              <Stat label="Values updated" value={lastRun.valuesUpdated} />
              <Stat label="Errors" value={lastRun.errorCount} warn={lastRun.errorCount > 0} />
            </dl>
            {lastRun.errorMessage ? <Notice tone="error">{lastRun.errorMessage}</Notice> : null}
          </div>
        ) : (
          <EmptyState title="No sync has run yet">
            The first sync starts automatically within a few minutes of connecting. Map attributes under Property mappings to
            choose what it brings in.
          </EmptyState>
        )}
      </CardBody>
    </Card>
  );
}

function Stat({ label, value, warn = false }: { label: string; value: number; warn?: boolean }) {
  return (
    <div className="rounded-lg bg-slate-50 px-4 py-3">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={`mt-1 text-lg font-semibold ${warn ? "text-red-700" : "text-slate-900"}`}>{value.toLocaleString("en-US")}</dd>
    </div>
  );
}
