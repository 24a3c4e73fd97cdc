"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const BASE = "/settings/integrations/intercom";
const tabs = [
  { href: BASE, label: "Overview" },
  { href: `${BASE}/properties`, label: "Property mappings" },
  { href: `${BASE}/questions`, label: "Question mappings" },
  { href: `${BASE}/sync`, label: "Sync" },
];

export function IntercomTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Intercom settings" className="mb-8 border-b border-slate-200">
      <ul className="-mb-px flex gap-6 overflow-x-auto">
        {tabs.map((tab) => {
          const active = tab.href === BASE ? pathname === BASE : pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={`block whitespace-nowrap border-b-2 px-1 pb-3 text-sm font-medium ${
                  active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-800"
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
