"use client";

import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** Keeps a site-wide banner out of the section that already explains the same problem in place. */
export function HideOnPath({ prefix, children }: { prefix: string; children: ReactNode }) {
  const pathname = usePathname();
  return pathname === prefix || pathname.startsWith(`${prefix}/`) ? null : children;
}
