export default function Loading() {
  return (
    <div className="animate-pulse space-y-6" aria-busy="true" aria-label="Loading cancellation flow">
      <div className="h-8 w-64 rounded bg-slate-200" />
      <div className="h-4 w-96 rounded bg-slate-100" />
      {[0, 1, 2].map((i) => (
        <div key={i} className="h-28 rounded-xl border border-slate-200 bg-white" />
      ))}
    </div>
  );
}
