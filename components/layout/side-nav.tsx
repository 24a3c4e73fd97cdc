"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";

// "Settings" is a heading, so the docs' path (Settings › Integrations › Intercom) is what admins see.
const sections = [
  {
    heading: null,
    items: [
      { href: "/subscribers", label: "Subscribers" },
      { href: "/flows", label: "Cancellation flow" },
      { href: "/deliveries", label: "Deliveries" },
    ],
  },
  {
    heading: "Settings",
    items: [
      { href: "/settings/properties", label: "Custom properties" },
      { href: "/settings/integrations", label: "Integrations" },
      { href: "/settings/alerts", label: "Alerts" },
    ],
  },
];

export function SideNav({ accountName, adminEmail }: { accountName: string; adminEmail: string }) {
  const pathname = usePathname();
  // The outer column stretches with the page, so the white rail and its border reach the bottom of long pages.
  return (
    <div className="w-60 shrink-0 border-r border-slate-200 bg-white">
      <aside className="sticky top-0 flex h-screen flex-col">
        <div className="flex items-center gap-2 px-5 py-5">
          <span className="grid h-8 w-8 place-items-center rounded-lg bg-brand-600 text-sm font-bold text-white">H</span>
          <div className="min-w-0">
            <p className="text-sm font-semibold leading-tight">Holdfast</p>
            <p className="truncate text-xs text-slate-500">{accountName}</p>
          </div>
        </div>
        <nav className="flex-1 space-y-5 px-3" aria-label="Main">
          {sections.map((section) => (
            <div key={section.heading ?? "main"} className="space-y-0.5">
              {section.heading ? <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-400">{section.heading}</p> : null}
              {section.items.map((item) => {
                const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
                return (
                  <Link
                    key={item.href}
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    className={`block rounded-md px-3 py-2 text-sm font-medium ${
                      active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
                    }`}
                  >
                    {item.label}
                  </Link>
                );
              })}
            </div>
          ))}
        </nav>
        <div className="border-t border-slate-200 px-5 py-4 text-xs text-slate-500">
          <p className="truncate">{adminEmail}</p>
          <button className="mt-1 font-medium text-slate-700 hover:text-slate-900" onClick={() => signOut({ callbackUrl: "/sign-in" })}>
            Sign out
          </button>
        </div>
      </aside>
    </div>
  );
}
