import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getAdminSession } from "@/lib/auth/session";

export default async function AuthLayout({ children }: { children: ReactNode }) {
  // Signed in already: the sign-in form again would read as "that did not work".
  if (await getAdminSession()) redirect("/subscribers");
  return (
    <div className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="mb-8 flex items-center gap-2">
        <span className="grid h-9 w-9 place-items-center rounded-lg bg-brand-600 font-bold text-white">H</span>
        <span className="text-lg font-semibold">Holdfast</span>
      </div>
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">{children}</div>
    </div>
  );
}
