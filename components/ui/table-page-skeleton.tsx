interface TablePageSkeletonProps {
  /** Read out by screen readers while the page loads. */
  label: string;
  /** Tailwind widths of the title, the subtitle and the header's action button. */
  header: [title: string, subtitle: string, action: string];
  /** Filter tabs above the search box, if the page has them. */
  tabs?: number;
  /** Tailwind widths of the table's columns. */
  columns: string[];
}

/** A list page (header, filter tabs, search box, rows) while its data loads. */
export function TablePageSkeleton({ label, header: [title, subtitle, action], tabs = 0, columns }: TablePageSkeletonProps) {
  return (
    <div aria-busy="true" aria-label={label} className="animate-pulse">
      <div className="mb-8 flex items-end justify-between">
        <div className="space-y-2">
          <div className={`h-7 ${title} rounded bg-slate-200`} />
          <div className={`h-4 ${subtitle} rounded bg-slate-100`} />
        </div>
        <div className={`h-9 ${action} rounded-md bg-slate-200`} />
      </div>
      <div className="rounded-xl border border-slate-200 bg-white shadow-sm">
        {tabs > 0 && (
          <div className="flex gap-5 border-b border-slate-200 px-6 pb-3 pt-4">
            {Array.from({ length: tabs }, (_, i) => (
              <div key={i} className="h-5 w-20 rounded bg-slate-100" />
            ))}
          </div>
        )}
        <div className="border-b border-slate-100 px-6 py-4">
          <div className="h-9 w-80 rounded-md bg-slate-100" />
        </div>
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex gap-6 border-b border-slate-100 px-6 py-4 last:border-0">
            {columns.map((width, j) => (
              <div key={j} className={`h-4 ${width} rounded bg-slate-100`} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
