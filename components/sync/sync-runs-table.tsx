import { formatDateTime, formatRelative } from "@/components/integrations/format-time";
import type { SyncRun } from "@/lib/sync/sync-history";
import { RunStatusBadge } from "./run-status-badge";

const triggerLabels: Record<string, string> = { cron: "Scheduled", manual: "Manual", mapping: "Mapping change", webhook: "Webhook" };

export function formatDuration(run: Pick<SyncRun, "startedAt" | "finishedAt">): string {
  if (!run.finishedAt) return "—";
  const ms = run.finishedAt.getTime() - run.startedAt.getTime();
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 100) / 10;
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function SyncRunsTable({ runs }: { runs: SyncRun[] }) {
  const n = (v: number) => v.toLocaleString("en-US");
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-3">Started</th>
            <th className="px-4 py-3">Trigger</th>
            <th className="px-4 py-3">Mode</th>
            <th className="px-4 py-3">Strategy</th>
            <th className="px-4 py-3">Duration</th>
            <th className="px-4 py-3">Status</th>
            <th className="px-4 py-3 text-right">Contacts read</th>
            <th className="px-4 py-3 text-right">Matched</th>
            <th className="px-4 py-3 text-right">Updated</th>
            <th className="px-4 py-3 text-right">Errors</th>
            <th className="px-4 py-3 text-right">API calls</th>
            <th className="px-4 py-3 text-right">Rate-limit waits</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {runs.map((run) => (
            <tr key={run.id} className="align-top">
              <td className="whitespace-nowrap px-4 py-3">
                <time dateTime={run.startedAt.toISOString()} title={formatDateTime(run.startedAt)}>
                  {formatRelative(run.startedAt)}
                </time>
              </td>
              <td className="px-4 py-3 text-slate-600">{triggerLabels[run.trigger] ?? run.trigger}</td>
              <td className="px-4 py-3 capitalize text-slate-600">{run.mode}</td>
              <td className="px-4 py-3 text-slate-600">{run.strategy ? run.strategy.replaceAll("+", ", ") : "—"}</td>
              <td className="whitespace-nowrap px-4 py-3 text-slate-600">{formatDuration(run)}</td>
              <td className="px-4 py-3">
                <RunStatusBadge status={run.status} />
                {run.errorMessage ? <p className="mt-1 max-w-xs text-xs text-slate-500">{run.errorMessage}</p> : null}
              </td>
              <td className="px-4 py-3 text-right tabular-nums">{n(run.contactsRead)}</td>
              <td className="px-4 py-3 text-right tabular-nums">{n(run.contactsMatched)}</td>
              <td className="px-4 py-3 text-right tabular-nums">{n(run.valuesUpdated)}</td>
              <td className={`px-4 py-3 text-right tabular-nums ${run.errorCount > 0 ? "font-medium text-red-700" : ""}`}>{n(run.errorCount)}</td>
              <td className="px-4 py-3 text-right tabular-nums">{n(run.apiCalls)}</td>
              <td className="px-4 py-3 text-right tabular-nums">{n(run.rateLimitWaits)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
