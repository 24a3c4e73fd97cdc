import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { MAX_IMPORT_ROWS } from "@/lib/subscribers/import-subscribers";
import { ImportForm } from "./import-form";

export const metadata: Metadata = { title: "Import subscribers" };

export default async function ImportSubscribersPage() {
  await requireAdmin();
  return (
    <>
      <PageHeader
        title="Import subscribers"
        description={`Paste a CSV export from your billing system (up to ${MAX_IMPORT_ROWS.toLocaleString("en-US")} rows). Subscribers are matched on email, so importing again updates them instead of adding duplicates.`}
        breadcrumbs={[{ href: "/subscribers", label: "Subscribers" }]}
      />
      <ImportForm />
    </>
  );
}
