// A neutral stand-in for Intercom's logo: a dark tile with a smiling "message" stroke.
export function IntercomMark({ size = 40 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 40 40" role="img" aria-label="Intercom" className="shrink-0">
      <rect width="40" height="40" rx="10" fill="#111827" />
      {[11, 16, 20, 24, 29].map((x, i) => (
        <rect key={x} x={x - 1} y={i === 0 || i === 4 ? 12 : 10} width="2" height={i === 0 || i === 4 ? 11 : 14} rx="1" fill="#fff" />
      ))}
      <path d="M11 27.5c5.5 3.3 12.5 3.3 18 0" stroke="#fff" strokeWidth="2" strokeLinecap="round" fill="none" />
    </svg>
  );
}
