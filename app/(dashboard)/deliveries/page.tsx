import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime, formatRelative } from "@/components/integrations/format-time";
import { DeliveryStateBadge } from "@/components/deliveries/delivery-state-badge";
import { connectionWaitReason, deliveryStateInfo, deliveryStateOrder, retryableStates } from "@/components/deliveries/delivery-state";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { SearchForm } from "@/components/ui/search-form";
import { requireAdmin } from "@/lib/auth/session";
import { getConnection } from "@/lib/connections/intercom-connection";
import { countDeliveriesByState, deliveryStateSchema, listDeliveries, type DeliveryList, type DeliveryListItem, type DeliveryState } from "@/lib/deliveries/list-deliveries";
import { contactDeepLink, parseRegion } from "@/lib/intercom/hosts";
import { RetryAllButton, RetryButton } from "./retry-buttons";

export const metadata: Metadata = { title: "Deliveries" };

type SearchParams = Promise<{ state?: string | string[]; q?: string | string[]; page?: string | string[] }>;
type Filters = { state: DeliveryState | null; q: string };

const QUESTION_MAPPINGS = "/settings/integrations/intercom/questions";
const INTERCOM_SETTINGS = "/settings/integrations/intercom";

export default async function DeliveriesPage({ searchParams }: { searchParams: SearchParams }) {
  const { accountId } = await requireAdmin();
  const params = await searchParams;
  const parsedState = deliveryStateSchema.safeParse(firstOf(params.state));
  const filters: Filters = { state: parsedState.success ? parsedState.data : null, q: (firstOf(params.q) ?? "").trim().slice(0, 200) };
  const [list, connection, accountCounts] = await Promise.all([
    listDeliveries(accountId, { ...filters, page: Number(firstOf(params.page)) || 1 }),
    getConnection(accountId),
    // Retry all acts on the whole account, so its count ignores the search.
    filters.q ? countDeliveriesByState(accountId) : null,
  ]);
  // A disconnected workspace may since belong to someone else, so its contact pages are not linked.
  const linkable = connection && connection.status !== "disconnected" ? connection : null;
  const contactHref = (contactId: string) =>
    linkable ? contactDeepLink(parseRegion(linkable.region), linkable.workspaceId, contactId) : null;
  const totals = accountCounts ?? list.counts;
  const stuck = totals.failed + totals.needs_attention;

  return (
    <>
      <PageHeader
        title="Deliveries"
        description="Every cancellation answer Holdfast writes to Intercom, where it stands, and what Intercom said when it did not go through."
        actions={totals.all > 0 ? <RetryAllButton stuck={stuck} /> : null}
      />
      {list.counts.all === 0 && !filters.q ? (
        <EmptyState
          title="No answers sent to Intercom yet"
          action={
            <Link href={QUESTION_MAPPINGS} className="text-sm font-medium text-brand-600 hover:text-brand-700">
              Map questions to Intercom attributes →
            </Link>
          }
        >
          When a subscriber answers a survey question that is mapped to an Intercom attribute, the answer is written to their
          Intercom contact and shows up here with its delivery state.
        </EmptyState>
      ) : (
        <Card>
          <StateTabs list={list} filters={filters} />
          <SearchForm
            id="delivery-search"
            label="Search by subscriber email"
            value={filters.q}
            action="/deliveries"
            hidden={{ state: filters.state }}
            clearHref={hrefFor({ ...filters, q: "" })}
            className="border-b border-slate-100 px-6 py-4"
          >
            <p className="ml-auto text-sm text-slate-500">{countLabel(list)}</p>
          </SearchForm>
          {list.items.length === 0 ? (
            <div className="p-6">
              <EmptyState title={emptyTitle(filters)}>
                {filters.state ? deliveryStateInfo[filters.state].hint : "Search looks for the text anywhere in the subscriber's email."}
              </EmptyState>
            </div>
          ) : (
            <DeliveryTable items={list.items} contactHref={contactHref} waitReason={(d) => connectionWaitReason(d.state, connection)} />
          )}
          {list.pageCount > 1 ? <Pagination page={list.page} pageCount={list.pageCount} href={(page) => hrefFor(filters, page)} /> : null}
        </Card>
      )}
    </>
  );
}

function StateTabs({ list, filters }: { list: DeliveryList; filters: Filters }) {
  const tabs: { state: DeliveryState | null; label: string; count: number }[] = [
    { state: null, label: "All", count: list.counts.all },
    ...deliveryStateOrder.map((state) => ({ state, label: deliveryStateInfo[state].label, count: list.counts[state] })),
  ];
  return (
    <nav aria-label="Filter by state" className="border-b border-slate-200 px-6">
      <ul className="-mb-px flex gap-5 overflow-x-auto">
        {tabs.map((tab) => {
          const active = tab.state === filters.state;
          return (
            <li key={tab.label}>
              <Link
                href={hrefFor({ ...filters, state: tab.state })}
                aria-current={active ? "page" : undefined}
                className={`flex items-center gap-1.5 whitespace-nowrap border-b-2 px-1 pb-3 pt-4 text-sm font-medium ${
                  active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-800"
                }`}
              >
                {tab.label}
                <span className={`rounded-full px-1.5 py-0.5 text-xs ${active ? "bg-brand-50 text-brand-700" : "bg-slate-100 text-slate-600"}`}>
                  {tab.count.toLocaleString("en-US")}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function DeliveryTable({
  items,
  contactHref,
  waitReason,
}: {
  items: DeliveryListItem[];
  contactHref: (id: string) => string | null;
  waitReason: (d: DeliveryListItem) => string | null;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-6 py-3">Subscriber</th>
            <th scope="col" className="px-4 py-3">Answer</th>
            <th scope="col" className="px-4 py-3">State</th>
            <th scope="col" className="px-4 py-3">Last Intercom error</th>
            <th scope="col" className="px-4 py-3">Times</th>
            <th scope="col" className="px-6 py-3">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {items.map((d) => {
            const contactId = d.contactId ?? d.subscriber.intercomContactId;
            const href = contactId ? contactHref(contactId) : null;
            const waiting = waitReason(d);
            return (
              <tr key={d.id} className="hover:bg-slate-50">
                <td className="px-6 py-3">
                  <Link href={`/subscribers/${d.subscriber.id}`} className="font-medium text-brand-700 hover:text-brand-600 hover:underline">
                    {d.subscriber.email}
                  </Link>
                  <p className="mt-0.5 font-mono text-xs text-slate-500">
                    {contactId ? (
                      href ? (
                        <a href={href} target="_blank" rel="noopener noreferrer" className="hover:text-slate-800 hover:underline" title="View in Intercom">
                          {contactId} ↗
                        </a>
                      ) : (
                        contactId
                      )
                    ) : (
                      <span className="font-sans">No Intercom contact yet</span>
                    )}
                  </p>
                </td>
                <td className="max-w-xs px-4 py-3">
                  <p className="text-xs text-slate-500">{d.question.prompt}</p>
                  <p className="mt-0.5 break-words text-slate-900" title={String(d.value)}>
                    {truncate(String(d.value), 120)}
                    {d.truncated ? <span className="ml-1 text-xs text-slate-400">(shortened to 255 characters)</span> : null}
                  </p>
                  <p className="mt-0.5 font-mono text-xs text-slate-500">→ {d.attribute}</p>
                </td>
                <td className="px-4 py-3">
                  <DeliveryStateBadge state={d.state} />
                  <p className="mt-1 text-xs text-slate-500">
                    {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
                  </p>
                  {!waiting && (d.state === "pending" || d.state === "unknown") && d.attempts > 0 && d.nextAttemptAt > new Date() ? (
                    <p className="text-xs text-slate-500" title={formatDateTime(d.nextAttemptAt)}>
                      Next try {formatDateTime(d.nextAttemptAt)}
                    </p>
                  ) : null}
                </td>
                <td className="max-w-xs px-4 py-3">
                  <ErrorDetails delivery={d} waiting={waiting} />
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-xs text-slate-500">
                  <p title={formatDateTime(d.createdAt)}>Answered {formatRelative(d.createdAt)}</p>
                  {d.deliveredAt ? <p title={formatDateTime(d.deliveredAt)}>Delivered {formatRelative(d.deliveredAt)}</p> : null}
                </td>
                <td className="px-6 py-3 text-right">{retryableStates.includes(d.state) ? <RetryButton deliveryId={d.id} /> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Why the answer is not in Intercom: the connection it waits for, then Intercom's last error. */
function ErrorDetails({ delivery: d, waiting }: { delivery: DeliveryListItem; waiting: string | null }) {
  const failed = d.state !== "delivered" && Boolean(d.lastError || d.lastErrorCode || d.attentionReason);
  if (!waiting && !failed) return <span className="text-slate-400">—</span>;
  return (
    <div className="space-y-0.5 text-xs">
      {waiting ? (
        <Link href={INTERCOM_SETTINGS} className="mb-1 block font-medium text-amber-700 hover:text-amber-800 hover:underline">
          {waiting}
        </Link>
      ) : null}
      {failed ? <IntercomError delivery={d} /> : null}
    </div>
  );
}

function IntercomError({ delivery: d }: { delivery: DeliveryListItem }) {
  const meta = [d.lastStatus ? `HTTP ${d.lastStatus}` : null, d.lastRequestId ? `request ${d.lastRequestId}` : null].filter(Boolean);
  return (
    <>
      {d.lastErrorCode ? <p className="font-mono text-slate-800">{d.lastErrorCode}</p> : null}
      {meta.length ? <p className="font-mono text-slate-500">{meta.join(" · ")}</p> : null}
      {d.lastError ? <p className="break-words text-slate-600">{truncate(d.lastError, 200)}</p> : null}
      {d.attentionReason === "mapping_broken" ? (
        <Link href={QUESTION_MAPPINGS} className="font-medium text-brand-600 hover:text-brand-700">
          Fix the question mapping →
        </Link>
      ) : d.attentionReason === "contact_not_found" ? (
        <Link href={`/subscribers/${d.subscriber.id}`} className="font-medium text-brand-600 hover:text-brand-700">
          Check the subscriber&apos;s Intercom contact →
        </Link>
      ) : null}
    </>
  );
}

function hrefFor(filters: Filters, page = 1): string {
  const params = new URLSearchParams();
  if (filters.state) params.set("state", filters.state);
  if (filters.q) params.set("q", filters.q);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/deliveries?${query}` : "/deliveries";
}

function countLabel(list: DeliveryList): string {
  if (list.total === 0) return "";
  const from = (list.page - 1) * list.pageSize + 1;
  const to = from + list.items.length - 1;
  return `${from.toLocaleString("en-US")}–${to.toLocaleString("en-US")} of ${list.total.toLocaleString("en-US")}`;
}

function emptyTitle(filters: Filters): string {
  const state = filters.state ? deliveryStateInfo[filters.state].label.toLowerCase() : null;
  if (filters.q) return state ? `No ${state} answers for “${filters.q}”` : `No answers for “${filters.q}”`;
  return `No ${state} answers`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
