import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { customProperties, propertyMappings } from "@/db/schema";
import type { SyncMapping } from "./plan-contact-page";

export interface LoadedMapping extends SyncMapping {
  mappingId: string;
  backfilledAt: Date | null;
  createdAt: Date;
}

/**
 * The account's current working property mappings: unmapped properties simply stop being written,
 * and broken ones (attribute archived, deleted or retyped in Intercom) are skipped until fixed.
 */
export async function loadSyncMappings(db: Db, accountId: string): Promise<LoadedMapping[]> {
  return db
    .select({
      mappingId: propertyMappings.id,
      propertyId: propertyMappings.propertyId,
      intercomAttribute: propertyMappings.intercomAttribute,
      intercomLabel: propertyMappings.intercomLabel,
      propertyType: customProperties.type,
      backfilledAt: propertyMappings.backfilledAt,
      createdAt: propertyMappings.createdAt,
    })
    .from(propertyMappings)
    .innerJoin(customProperties, eq(customProperties.id, propertyMappings.propertyId))
    .where(
      and(eq(propertyMappings.accountId, accountId), eq(customProperties.accountId, accountId), eq(propertyMappings.status, "ok")),
    );
}
