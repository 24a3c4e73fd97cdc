export default function SubscriberLoading() {
  return (
    <div aria-busy="true" aria-label="Loading subscriber" className="animate-pulse">
      <div className="mb-8 space-y-2">
        <div className="h-4 w-24 rounded bg-slate-100" />
        <div className="flex items-end justify-between">
          <div className="h-7 w-64 rounded bg-slate-200" />
          <div className="h-9 w-40 rounded-md bg-slate-200" />
        </div>
      </div>
      <div className="space-y-6">
        {[4, 5, 3].map((rows, i) => (
          <div key={i} className="rounded-xl border border-slate-200 bg-white shadow-sm">
            <div className="border-b border-slate-100 px-6 py-4">
              <div className="h-5 w-40 rounded bg-slate-200" />
            </div>
            <div className="space-y-3 px-6 py-5">
              {Array.from({ length: rows }, (_, j) => (
                <div key={j} className="h-4 rounded bg-slate-100" style={{ width: `${90 - j * 12}%` }} />
              ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
