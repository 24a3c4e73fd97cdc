import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { DeliveryBadge } from "@/components/subscribers/delivery-badge";
import { formatDay, formatMrr } from "@/components/subscribers/format";
import { MatchBadge } from "@/components/subscribers/match-badge";
import { StatusBadge } from "@/components/subscribers/status-badge";
import { TimeAgo } from "@/components/subscribers/time-ago";
import { ViewInIntercomLink } from "@/components/subscribers/view-in-intercom-link";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState, Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { pickReasonText } from "@/lib/subscribers/explain-pick";
import { getSubscriberDetail, type SubscriberDetail } from "@/lib/subscribers/subscriber-detail";

export const metadata: Metadata = { title: "Subscriber" };

// No loading.tsx here or above (the list's lives in its (list) group): a Suspense fallback would
// start the response as 200 before notFound() runs, and an unknown id must answer 404.
export default async function SubscriberPage({ params }: { params: Promise<{ id: string }> }) {
  const { accountId } = await requireAdmin();
  const { id } = await params;
  const detail = await getSubscriberDetail(accountId, id);
  if (!detail) notFound();
  const { subscriber, intercom } = detail;

  return (
    <>
      <PageHeader
        title={subscriber.name ?? subscriber.email}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {subscriber.name ? <span>{subscriber.email}</span> : null}
            <MatchBadge match={intercom.match} candidates={intercom.candidateCount} />
          </span>
        }
        breadcrumbs={[{ href: "/subscribers", label: "Subscribers" }]}
        actions={intercom.deepLink ? <ViewInIntercomLink href={intercom.deepLink} /> : null}
      />
      <div className="space-y-6">
        <IntercomNotice detail={detail} />
        <SubscriptionCard detail={detail} />
        <PropertiesCard detail={detail} />
        <AnswersCard detail={detail} />
        {detail.syncErrors.length ? <SyncErrorsCard detail={detail} /> : null}
      </div>
    </>
  );
}

function IntercomNotice({ detail: { intercom } }: { detail: SubscriberDetail }) {
  if (intercom.match === "ambiguous") {
    return (
      <Notice tone="warning" title={`${intercom.candidateCount} Intercom contacts share this email`}>
        {intercom.pickReason ? pickReasonText[intercom.pickReason] : null}{" "}
        {intercom.contactId ? (
          <>
            Linked contact: <code className="font-mono">{intercom.contactId}</code>.
          </>
        ) : (
          "No contact could be chosen, so none is linked."
        )}
      </Notice>
    );
  }
  if (intercom.match === "matched" && !intercom.deepLink) {
    return (
      <Notice tone="info" title="Intercom is not connected">
        This subscriber was linked to an Intercom contact, but the account has no Intercom connection now.{" "}
        <Link href="/settings/integrations" className="font-medium underline">
          Connect Intercom
        </Link>{" "}
        to open the contact from here.
      </Notice>
    );
  }
  return null;
}

function SubscriptionCard({ detail: { subscriber, intercom } }: { detail: SubscriberDetail }) {
  return (
    <Card>
      <CardHeader title="Subscription" />
      <CardBody>
        <dl className="grid gap-x-8 gap-y-4 sm:grid-cols-2 lg:grid-cols-4">
          <Fact label="Email">{subscriber.email}</Fact>
          <Fact label="Name">{subscriber.name ?? "—"}</Fact>
          <Fact label="External ID">{subscriber.externalId ? <code className="font-mono text-xs">{subscriber.externalId}</code> : "—"}</Fact>
          <Fact label="Plan">{subscriber.plan ?? "—"}</Fact>
          <Fact label="Status">
            <StatusBadge status={subscriber.status} />
          </Fact>
          <Fact label="MRR">{formatMrr(subscriber.mrrCents)}</Fact>
          <Fact label="Subscribed">{subscriber.subscribedAt ? formatDay(subscriber.subscribedAt) : "—"}</Fact>
          <Fact label="Intercom contact">
            {intercom.contactId ? (
              <span className="space-y-0.5">
                <code className="block font-mono text-xs">{intercom.contactId}</code>
                <span className="block text-xs text-slate-500">
                  linked <TimeAgo date={intercom.linkedAt} />
                </span>
              </span>
            ) : (
              <span className="text-slate-500">No Intercom match</span>
            )}
          </Fact>
        </dl>
      </CardBody>
    </Card>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 truncate text-sm text-slate-900">{children}</dd>
    </div>
  );
}

const th = "px-6 py-3";
const td = "px-6 py-3 align-top";

function PropertiesCard({ detail: { properties } }: { detail: SubscriberDetail }) {
  return (
    <Card>
      <CardHeader title="Custom properties" description="Synced from the linked Intercom contact, as mapped under Integrations › Intercom › Property mappings." />
      {properties.length === 0 ? (
        <CardBody>
          <EmptyState
            title="No custom properties yet"
            action={
              <Link href="/settings/properties" className="text-sm font-medium text-brand-600 hover:text-brand-700">
                Set up custom properties
              </Link>
            }
          >
            Map Intercom attributes to Holdfast properties to see them here.
          </EmptyState>
        </CardBody>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className={th}>Property</th>
                <th scope="col" className={th}>Value</th>
                <th scope="col" className={th}>Source</th>
                <th scope="col" className={th}>Contact ID</th>
                <th scope="col" className={th}>Last synced</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {properties.map((p) => (
                <tr key={p.propertyId}>
                  <td className={td}>
                    <span className="font-medium text-slate-900">{p.name}</span>
                    <span className="block font-mono text-xs text-slate-400">{p.key}</span>
                  </td>
                  <td className={`${td} ${p.value === null ? "text-slate-400" : "text-slate-900"}`}>
                    {p.display}
                    {p.stale ? (
                      <span className="ml-2" title="The Intercom contact this value came from was deleted, archived or merged; it is no longer updated.">
                        <Badge tone="amber">Stale</Badge>
                      </span>
                    ) : p.syncedAt && !p.intercomLabel ? (
                      <span className="ml-2" title="This property is no longer mapped to an Intercom attribute, so the value is not updated any more.">
                        <Badge tone="slate">Not synced any more</Badge>
                      </span>
                    ) : null}
                  </td>
                  <td className={`${td} text-slate-600`}>
                    {p.sourceAttribute || p.intercomLabel ? `Intercom · ${p.intercomLabel ?? p.sourceAttribute}` : <span className="text-slate-400">Not mapped</span>}
                  </td>
                  <td className={`${td} font-mono text-xs text-slate-600`}>{p.sourceContactId ?? <span className="text-slate-400">—</span>}</td>
                  <td className={`${td} text-slate-600`}>
                    {p.syncedAt ? <TimeAgo date={p.syncedAt} /> : <span className="text-slate-400">Never</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function AnswersCard({ detail: { answers } }: { detail: SubscriberDetail }) {
  return (
    <Card>
      <CardHeader title="Cancellation answers" description="What this subscriber told your cancellation flow, and whether it reached Intercom." />
      {answers.length === 0 ? (
        <CardBody>
          <EmptyState title="No cancellation answers">This subscriber has not gone through your cancellation flow.</EmptyState>
        </CardBody>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className={th}>Question</th>
                <th scope="col" className={th}>Answer</th>
                <th scope="col" className={th}>Answered</th>
                <th scope="col" className={th}>Intercom</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {answers.map((a) => (
                <tr key={a.id}>
                  <td className={`${td} max-w-xs text-slate-700`}>{a.questionPrompt}</td>
                  <td className={`${td} max-w-sm`}>
                    <span className="whitespace-pre-wrap break-words text-slate-900">{a.answer}</span>
                    {a.reasonCode ? <span className="block font-mono text-xs text-slate-400">{a.reasonCode}</span> : null}
                  </td>
                  <td className={`${td} whitespace-nowrap text-slate-600`}>
                    <TimeAgo date={a.answeredAt} />
                  </td>
                  <td className={td}>
                    <DeliveryBadge delivery={a.delivery} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function SyncErrorsCard({ detail: { syncErrors } }: { detail: SubscriberDetail }) {
  return (
    <Card>
      <CardHeader title="Sync errors" description="The latest problems reading this subscriber's Intercom contact." />
      <ul className="divide-y divide-slate-100">
        {syncErrors.map((e) => (
          <li key={e.id} className="flex flex-wrap items-start justify-between gap-2 px-6 py-3 text-sm">
            <div>
              <p className="text-red-700">{e.message}</p>
              <p className="text-xs text-slate-500">
                {[e.propertyName && `Property: ${e.propertyName}`, e.contactId && `Contact: ${e.contactId}`].filter(Boolean).join(" · ")}
              </p>
            </div>
            <span className="text-xs text-slate-500">
              <TimeAgo date={e.createdAt} />
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
