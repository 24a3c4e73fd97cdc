import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/notice";
import { requireAdmin } from "@/lib/auth/session";
import { getConnection } from "@/lib/connections/intercom-connection";
import { getPropertyMappings } from "@/lib/mappings/property-mappings";
import { listCustomProperties } from "@/lib/properties/custom-properties";
import { countOf } from "@/lib/text/plural";
import { PropertyMappingsClient } from "./property-mappings-client";

export const metadata: Metadata = { title: "Property mappings · Intercom" };

export default async function PropertyMappingsPage() {
  const { accountId } = await requireAdmin();
  const [connection, properties, mappings] = await Promise.all([
    getConnection(accountId),
    listCustomProperties(accountId),
    getPropertyMappings(accountId),
  ]);
  if (!connection || connection.status === "disconnected") {
    return (
      <EmptyState
        title="Connect Intercom to map its attributes"
        action={<ButtonLink href="/settings/integrations/intercom">Go to Overview</ButtonLink>}
      >
        Once Intercom is connected, choose which contact attributes fill which subscriber properties.
        {mappings.length > 0
          ? ` Your ${countOf(mappings.length, "saved mapping")} ${mappings.length === 1 ? "is kept and applies" : "are kept and apply"} again when you reconnect.`
          : ""}
      </EmptyState>
    );
  }
  return (
    <PropertyMappingsClient
      workspaceName={connection.workspaceName}
      properties={properties.map((p) => ({ id: p.id, name: p.name, key: p.key, type: p.type }))}
      mappings={mappings}
    />
  );
}
