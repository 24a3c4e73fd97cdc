export default function AlertsLoading() {
  return (
    <div aria-busy="true" aria-label="Loading alerts" className="animate-pulse">
      <div className="mb-8 space-y-2">
        <div className="h-7 w-28 rounded bg-slate-200" />
        <div className="h-4 w-96 rounded bg-slate-100" />
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_26rem]">
        <div className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          {Array.from({ length: 4 }, (_, i) => (
            <div key={i} className="space-y-2">
              <div className="h-4 w-64 rounded bg-slate-100" />
              <div className="h-3 w-full rounded bg-slate-100" />
            </div>
          ))}
        </div>
        <div className="h-72 rounded-xl border border-slate-200 bg-white shadow-sm" />
      </div>
    </div>
  );
}
