import { buttonClass } from "@/components/ui/button";

/** Opens the linked contact in the Intercom web app, in a new tab that cannot reach back to us. */
export function ViewInIntercomLink({ href }: { href: string }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" aria-label="View in Intercom" className={buttonClass("secondary")}>
      View in Intercom
      <svg aria-hidden viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 text-slate-400">
        <path d="M11 3a1 1 0 1 0 0 2h2.59l-6.3 6.29a1 1 0 1 0 1.42 1.42L15 6.41V9a1 1 0 1 0 2 0V4a1 1 0 0 0-1-1h-5Z" />
        <path d="M5 5a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2v-3a1 1 0 1 0-2 0v3H5V7h3a1 1 0 0 0 0-2H5Z" />
      </svg>
    </a>
  );
}
