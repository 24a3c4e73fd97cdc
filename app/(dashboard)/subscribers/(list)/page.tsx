import type { Metadata } from "next";
import Link from "next/link";
import { MatchBadge } from "@/components/subscribers/match-badge";
import { StatusBadge } from "@/components/subscribers/status-badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { SearchForm } from "@/components/ui/search-form";
import { requireAdmin } from "@/lib/auth/session";
import { listSubscribers, type SubscriberList } from "@/lib/subscribers/list-subscribers";
import { countOf } from "@/lib/text/plural";

export const metadata: Metadata = { title: "Subscribers" };

type SearchParams = Promise<{ q?: string | string[]; page?: string | string[] }>;

export default async function SubscribersPage({ searchParams }: { searchParams: SearchParams }) {
  const { accountId } = await requireAdmin();
  const params = await searchParams;
  const q = (firstOf(params.q) ?? "").trim().slice(0, 200);
  const list = await listSubscribers(accountId, { q, page: Number(firstOf(params.page)) || 1 });

  return (
    <>
      <PageHeader
        title="Subscribers"
        description="Your paying customers, and the Intercom contact each one is linked to by email."
        actions={<ButtonLink href="/subscribers/import">Import subscribers</ButtonLink>}
      />
      {list.accountIsEmpty ? (
        <EmptyState
          title="No subscribers yet"
          action={<ButtonLink href="/subscribers/import">Import subscribers</ButtonLink>}
        >
          Import your subscribers from a CSV export of your billing system. Holdfast links each one to the Intercom contact with
          the same email, pulls in the properties you mapped, and shows their cancellation answers here.
        </EmptyState>
      ) : (
        <Card>
          <SearchForm id="subscriber-search" label="Search by email or name" value={q} action="/subscribers" clearHref="/subscribers" className="border-b border-slate-100 px-6 py-4">
            <p className="ml-auto text-sm text-slate-500">{countLabel(list, q)}</p>
          </SearchForm>
          {list.items.length === 0 ? (
            <div className="p-6">
              <EmptyState title={`No subscribers match “${q}”`}>Search looks for the text anywhere in the email or name.</EmptyState>
            </div>
          ) : (
            <SubscriberTable items={list.items} />
          )}
          {list.pageCount > 1 ? <Pagination page={list.page} pageCount={list.pageCount} href={(page) => `/subscribers?${new URLSearchParams({ ...(q ? { q } : {}), page: String(page) })}`} /> : null}
        </Card>
      )}
    </>
  );
}

function SubscriberTable({ items }: { items: SubscriberList["items"] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-6 py-3">Email</th>
            <th scope="col" className="px-6 py-3">Name</th>
            <th scope="col" className="px-6 py-3">Plan</th>
            <th scope="col" className="px-6 py-3">Status</th>
            <th scope="col" className="px-6 py-3">Intercom</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.map((s) => (
            <tr key={s.id} className="hover:bg-slate-50">
              <td className="px-6 py-3">
                <Link href={`/subscribers/${s.id}`} className="font-medium text-brand-700 hover:text-brand-600 hover:underline">
                  {s.email}
                </Link>
              </td>
              <td className="px-6 py-3 text-slate-700">{s.name ?? <span className="text-slate-400">—</span>}</td>
              <td className="px-6 py-3 text-slate-700">{s.plan ?? <span className="text-slate-400">—</span>}</td>
              <td className="px-6 py-3">
                <StatusBadge status={s.status} />
              </td>
              <td className="px-6 py-3">
                <MatchBadge match={s.intercomMatch} candidates={s.intercomCandidates} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function countLabel(list: SubscriberList, q: string): string {
  if (list.total === 0) return q ? "No matches" : "";
  const from = (list.page - 1) * list.pageSize + 1;
  const to = from + list.items.length - 1;
  const total = q ? countOf(list.total, "match", "matches") : countOf(list.total, "subscriber");
  return `${from.toLocaleString("en-US")}–${to.toLocaleString("en-US")} of ${total}`;
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
