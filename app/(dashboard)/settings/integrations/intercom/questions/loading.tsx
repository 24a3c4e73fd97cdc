export default function Loading() {
  return (
    <div className="animate-pulse rounded-xl border border-slate-200 bg-white p-6" aria-busy="true" aria-label="Loading question mappings">
      <div className="h-5 w-48 rounded bg-slate-200" />
      <div className="mt-2 h-4 w-96 rounded bg-slate-100" />
      <div className="mt-6 space-y-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="grid grid-cols-[1fr_1fr_auto] gap-3">
            <div className="h-9 rounded bg-slate-100" />
            <div className="h-9 rounded bg-slate-100" />
            <div className="h-9 w-20 rounded bg-slate-100" />
          </div>
        ))}
      </div>
      <p className="mt-4 text-sm text-slate-500">Loading attributes from Intercom…</p>
    </div>
  );
}
