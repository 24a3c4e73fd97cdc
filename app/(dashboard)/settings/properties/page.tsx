import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { getPropertyMappings } from "@/lib/mappings/property-mappings";
import { listCustomProperties } from "@/lib/properties/custom-properties";
import { PropertiesClient, type PropertyRow } from "./properties-client";

export const metadata: Metadata = { title: "Custom properties" };

export default async function CustomPropertiesPage() {
  const { accountId } = await requireAdmin();
  const [properties, mappings] = await Promise.all([listCustomProperties(accountId), getPropertyMappings(accountId)]);
  const sourceOf = new Map(mappings.map((m) => [m.property.id, m.intercomLabel]));
  const rows: PropertyRow[] = properties.map((p) => ({
    id: p.id,
    name: p.name,
    key: p.key,
    type: p.type,
    intercomSource: sourceOf.get(p.id) ?? null,
  }));
  return (
    <>
      <PageHeader
        title="Custom properties"
        description="Extra facts you keep about each subscriber, such as plan, seats or renewal date. Fill them from Intercom under Integrations › Intercom › Property mappings."
      />
      <PropertiesClient properties={rows} />
    </>
  );
}
