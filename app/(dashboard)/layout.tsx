import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import { requireAdmin } from "@/lib/auth/session";
import { SideNav } from "@/components/layout/side-nav";
import { ReconnectBanner } from "@/components/integrations/reconnect-banner";
import { OpenAlertsNotice } from "@/components/alerts/open-alerts-notice";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const { accountId, adminId } = await requireAdmin();
  const db = await getDb();
  const [account, admin] = await Promise.all([
    db.query.accounts.findFirst({ where: (a, { eq }) => eq(a.id, accountId) }),
    db.query.admins.findFirst({ where: (a, { eq, and }) => and(eq(a.id, adminId), eq(a.accountId, accountId)) }),
  ]);
  return (
    <div className="flex min-h-screen">
      <SideNav accountName={account?.name ?? "Account"} adminEmail={admin?.email ?? ""} />
      <main className="min-w-0 flex-1 px-6 py-8 lg:px-10">
        <div className="mx-auto max-w-6xl">
          <ReconnectBanner accountId={accountId} />
          <OpenAlertsNotice accountId={accountId} />
          {children}
        </div>
      </main>
    </div>
  );
}
