import type { Metadata } from "next";
import { CancelSurvey } from "@/components/widget/cancel-survey";

export const metadata: Metadata = { title: "Cancel subscription", robots: { index: false } };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

// Public page that widget.js opens in an iframe; the identity arrives in the query string and is
// verified by POST /api/widget/sessions, not here.
export default async function WidgetPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const identity = {
    publicKey: first(params.publicKey),
    email: first(params.email),
    name: first(params.name),
    externalId: first(params.externalId),
    issuedAt: first(params.issuedAt),
    signature: first(params.signature),
  };
  return (
    <>
      {/* The overlay is drawn by this page inside a transparent, full-window iframe. */}
      <style>{"html,body{background:transparent!important}"}</style>
      <CancelSurvey identity={identity} />
    </>
  );
}
