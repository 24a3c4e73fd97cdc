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

const th = "px-3 py-3 first:pl-6 last:pr-6";
const td = "px-3 py-3 first:pl-6 last:pr-6";
const num = "text-right tabular-nums";

/**
 * When and why a run started share a cell, as do its mode and strategy, and its status and
 * duration, so that every count (errors, API calls, rate-limit waits included) fits the card at
 * 1280 px without scrolling.
 */
export function SyncRunsTable({ runs }: { runs: SyncRun[] }) {
  const n = (v: number) => v.toLocaleString("en-US");
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th className={th}>Started</th>
            <th className={th}>Run</th>
            <th className={th}>Status</th>
            <th className={`${th} ${num}`}>Contacts read</th>
            <th className={`${th} ${num}`}>Matched</th>
            <th className={`${th} ${num}`}>Updated</th>
            <th className={`${th} ${num}`}>Errors</th>
            <th className={`${th} ${num}`}>API calls</th>
            <th className={`${th} ${num}`}>
              <span className="whitespace-nowrap">Rate-limit</span> waits
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {runs.map((run) => (
            <tr key={run.id} className="align-top">
              <td className={`${td} whitespace-nowrap`}>
                <time dateTime={run.startedAt.toISOString()} title={formatDateTime(run.startedAt)} className="text-slate-900">
                  {formatRelative(run.startedAt)}
                </time>
                <p className="text-xs text-slate-500">{triggerLabels[run.trigger] ?? run.trigger}</p>
              </td>
              <td className={td}>
                <p className="capitalize text-slate-700">{run.mode}</p>
                {run.strategy ? <p className="text-xs text-slate-500">{run.strategy.replaceAll("+", ", ")}</p> : null}
              </td>
              <td className={td}>
                <RunStatusBadge status={run.status} />
                {run.finishedAt ? <p className="mt-0.5 whitespace-nowrap text-xs text-slate-500">took {formatDuration(run)}</p> : null}
                {run.errorMessage ? <p className="mt-1 max-w-[16rem] text-xs text-slate-500">{run.errorMessage}</p> : null}
              </td>
              <td className={`${td} ${num}`}>{n(run.contactsRead)}</td>
              <td className={`${td} ${num}`}>{n(run.contactsMatched)}</td>
              <td className={`${td} ${num}`}>{n(run.valuesUpdated)}</td>
              <td className={`${td} ${num} ${run.errorCount > 0 ? "font-medium text-red-700" : ""}`}>{n(run.errorCount)}</td>
              <td className={`${td} ${num}`}>{n(run.apiCalls)}</td>
              <td className={`${td} ${num}`}>{n(run.rateLimitWaits)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
