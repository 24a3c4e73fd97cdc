export default function DeliveriesLoading() {
  return (
    <div aria-busy="true" aria-label="Loading deliveries" className="animate-pulse">
      <div className="mb-8 flex items-end justify-between">
        <div className="space-y-2">
          <div className="h-7 w-36 rounded bg-slate-200" />
          <div className="h-4 w-96 rounded bg-slate-100" />
        </div>
        <div className="h-9 w-64 rounded-md bg-slate-200" />
      </div>
      <div className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <div className="flex gap-5 border-b border-slate-200 px-6 pb-3 pt-4">
          {Array.from({ length: 7 }, (_, i) => (
            <div key={i} className="h-5 w-20 rounded bg-slate-100" />
          ))}
        </div>
        <div className="border-b border-slate-100 px-6 py-4">
          <div className="h-9 w-80 rounded-md bg-slate-100" />
        </div>
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex gap-6 border-b border-slate-100 px-6 py-4 last:border-0">
            <div className="h-4 w-48 rounded bg-slate-100" />
            <div className="h-4 w-56 rounded bg-slate-100" />
            <div className="h-4 w-20 rounded bg-slate-100" />
            <div className="h-4 w-40 rounded bg-slate-100" />
            <div className="h-4 w-24 rounded bg-slate-100" />
          </div>
        ))}
      </div>
    </div>
  );
}
