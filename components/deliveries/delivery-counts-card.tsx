import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { countDeliveriesByState } from "@/lib/deliveries/list-deliveries";
import { deliveryStateInfo, deliveryStateOrder } from "./delivery-state";

const warnStates = new Set(["needs_attention", "failed", "unknown"]);

/** Where the account's answers stand, each count linking to that tab of the deliveries page. */
export async function DeliveryCountsCard({ accountId }: { accountId: string }) {
  const counts = await countDeliveriesByState(accountId);
  return (
    <Card>
      <CardHeader
        title="Answer deliveries"
        description="Cancellation answers written to your Intercom contacts' custom attributes."
        actions={
          <Link href="/deliveries" className="text-sm font-medium text-brand-600 hover:text-brand-700">
            View all deliveries →
          </Link>
        }
      />
      <CardBody>
        {counts.all === 0 ? (
          <p className="text-sm text-slate-500">
            No answers sent yet. Map survey questions to Intercom attributes under Question mappings, and answers appear here.
          </p>
        ) : (
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            {deliveryStateOrder.map((state) => {
              const warn = warnStates.has(state) && counts[state] > 0;
              return (
                <Link
                  key={state}
                  href={`/deliveries?state=${state}`}
                  className={`rounded-lg px-4 py-3 transition hover:ring-1 hover:ring-brand-500/40 ${warn ? "bg-amber-50" : "bg-slate-50"}`}
                >
                  <dt className="text-xs text-slate-500">{deliveryStateInfo[state].label}</dt>
                  <dd className={`mt-1 text-lg font-semibold ${warn ? "text-amber-800" : "text-slate-900"}`}>
                    {counts[state].toLocaleString("en-US")}
                  </dd>
                </Link>
              );
            })}
          </dl>
        )}
      </CardBody>
    </Card>
  );
}
