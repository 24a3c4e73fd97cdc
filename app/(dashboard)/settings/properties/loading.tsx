export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading">
      <div className="h-7 w-56 animate-pulse rounded bg-slate-200" />
      {[0, 1].map((i) => (
        <div key={i} className="animate-pulse rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <div className="h-4 w-40 rounded bg-slate-200" />
          <div className="mt-5 space-y-3">
            {[0, 1, 2].map((j) => (
              <div key={j} className="h-3 w-full rounded bg-slate-100" />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
