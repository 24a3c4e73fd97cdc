import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime, formatRelative } from "@/components/integrations/format-time";
import { RunStatusBadge } from "@/components/sync/run-status-badge";
import { formatDuration, SyncRunsTable } from "@/components/sync/sync-runs-table";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState, Notice } from "@/components/ui/notice";
import { SearchForm } from "@/components/ui/search-form";
import { requireAdmin } from "@/lib/auth/session";
import { getSyncOverview, type SyncErrorRow, type SyncRun } from "@/lib/sync/sync-history";
import { getSyncStatus } from "@/lib/sync/sync-status";
import { SyncLive } from "./sync-client";

export const metadata: Metadata = { title: "Sync · Intercom" };

export default async function SyncPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const { accountId } = await requireAdmin();
  const q = (await searchParams).q;
  const errorSearch = typeof q === "string" ? q.trim().slice(0, 200) : "";
  const [{ connection, state, runs, errors }, status] = await Promise.all([
    getSyncOverview(accountId, { errorSearch }),
    getSyncStatus(accountId),
  ]);
  if (!connection || connection.status === "disconnected") {
    return (
      <EmptyState title="Intercom is not connected" action={<ButtonLink href="/settings/integrations/intercom">Go to Overview</ButtonLink>}>
        Connect your Intercom workspace to sync contact attributes into subscriber properties.
      </EmptyState>
    );
  }
  const lastRun = runs[0] ?? null;
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title="Contact sync"
          description="Holdfast reads contacts changed in Intercom every 5 minutes, links them to subscribers by email and fills the mapped properties."
        />
        <CardBody className="space-y-5">
          <SyncLive initial={status} disabled={connection.status !== "connected"} />
          {state?.fullSyncRequested ? (
            <Notice tone="info">A full resync is scheduled: the next run reads every contact again.</Notice>
          ) : null}
          {lastRun ? (
            <LastRunSummary run={lastRun} watermark={state?.watermark ?? null} lastFullSyncAt={state?.lastFullSyncAt ?? null} />
          ) : (
            <EmptyState title="No sync has run yet">
              The first sync starts within 5 minutes of connecting. Press Sync now to start it straight away.
            </EmptyState>
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Run history" description="The most recent runs, newest first." />
        {runs.length > 0 ? (
          <SyncRunsTable runs={runs} />
        ) : (
          <CardBody>
            <p className="text-sm text-slate-500">Runs appear here once the first sync has started.</p>
          </CardBody>
        )}
      </Card>

      <Card>
        <CardHeader
          title="Sync errors"
          description="Values Intercom holds that do not fit their Holdfast property. The rest of the sync carries on; the stored value is left as it was."
        />
        <CardBody className="border-b border-slate-100">
          <SearchForm id="sync-error-search" label="Search by email, reason or contact id" value={errorSearch} clearHref="/settings/integrations/intercom/sync" />
        </CardBody>
        {errors.length > 0 ? (
          <SyncErrorsTable errors={errors} />
        ) : (
          <CardBody>
            {errorSearch ? (
              <EmptyState title="No matching errors">No sync error mentions &ldquo;{errorSearch}&rdquo;.</EmptyState>
            ) : (
              <EmptyState title="No sync errors">Every synced value fitted its property.</EmptyState>
            )}
          </CardBody>
        )}
      </Card>
    </div>
  );
}

function LastRunSummary({ run, watermark, lastFullSyncAt }: { run: SyncRun; watermark: number | null; lastFullSyncAt: Date | null }) {
  const stats: [string, number][] = [
    ["Contacts read", run.contactsRead],
    ["Subscribers matched", run.contactsMatched],
    ["Values updated", run.valuesUpdated],
    ["Errors", run.errorCount],
    ["API calls", run.apiCalls],
    ["Rate-limit waits", run.rateLimitWaits],
  ];
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
        <span className="font-medium text-slate-900">Last run</span>
        <RunStatusBadge status={run.status} />
        <span>
          {run.mode === "full" ? "Full" : "Incremental"}
          {run.strategy ? ` (${run.strategy.replaceAll("+", ", ")})` : ""} · started{" "}
          <time dateTime={run.startedAt.toISOString()} title={formatDateTime(run.startedAt)}>
            {formatRelative(run.startedAt)}
          </time>
          {run.finishedAt ? ` · took ${formatDuration(run)}` : ""}
        </span>
      </div>
      {run.errorMessage ? <Notice tone={run.status === "failed" ? "error" : "warning"}>{run.errorMessage}</Notice> : null}
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        {stats.map(([label, value]) => (
          <div key={label} className="rounded-lg bg-slate-50 px-4 py-3">
            <dt className="text-xs font-medium text-slate-500">{label}</dt>
            <dd className={`mt-1 text-xl font-semibold tabular-nums ${label === "Errors" && value > 0 ? "text-red-700" : "text-slate-900"}`}>
              {value.toLocaleString("en-US")}
            </dd>
          </div>
        ))}
      </dl>
      {watermark || lastFullSyncAt ? (
        <p className="text-xs text-slate-500">
          {watermark ? `Contacts changed up to ${formatDateTime(new Date(watermark * 1000))} are in Holdfast.` : ""}
          {lastFullSyncAt ? ` Last complete read of every contact started ${formatDateTime(lastFullSyncAt)}.` : ""}
        </p>
      ) : null}
    </div>
  );
}

function SyncErrorsTable({ errors }: { errors: SyncErrorRow[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-3">Subscriber</th>
            <th className="px-4 py-3">Property</th>
            <th className="px-4 py-3">Reason</th>
            <th className="px-4 py-3">Intercom contact</th>
            <th className="px-4 py-3">When</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {errors.map((e) => (
            <tr key={e.id} className="align-top">
              <td className="px-4 py-3">
                {e.subscriber ? (
                  <Link className="font-medium text-brand-600 hover:text-brand-700" href={`/subscribers/${e.subscriber.id}`}>
                    {e.subscriber.email}
                  </Link>
                ) : (
                  <span className="text-slate-400">Deleted subscriber</span>
                )}
              </td>
              <td className="px-4 py-3 text-slate-700">{e.propertyName ?? "—"}</td>
              <td className="px-4 py-3 text-slate-700">{e.message}</td>
              <td className="px-4 py-3">
                {e.contactId ? <code className="text-xs text-slate-600">{e.contactId}</code> : <span className="text-slate-400">—</span>}
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-slate-600">
                <time dateTime={e.createdAt.toISOString()} title={formatDateTime(e.createdAt)}>
                  {formatRelative(e.createdAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
