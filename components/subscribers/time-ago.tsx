import { formatExact, formatRelative } from "./format";

/** "3 hours ago", with the exact UTC time on hover. Rendered on the server only. */
export function TimeAgo({ date }: { date: Date | null }) {
  if (!date) return <span className="text-slate-400">—</span>;
  return (
    <time dateTime={date.toISOString()} title={formatExact(date)}>
      {formatRelative(date)}
    </time>
  );
}
