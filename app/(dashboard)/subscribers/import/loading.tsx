export default function ImportLoading() {
  return (
    <div aria-busy="true" aria-label="Loading" className="animate-pulse space-y-4">
      <div className="h-7 w-56 rounded bg-slate-200" />
      <div className="h-64 rounded-xl border border-slate-200 bg-white" />
    </div>
  );
}
