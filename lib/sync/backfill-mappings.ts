import { and, asc, count, eq, gt, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { propertyMappings, subscribers } from "@/db/schema";
import type { BackfillCheckpoint } from "./checkpoint";
import { refreshContactsById } from "./contact-lifecycle";
import { LOOKUP_BATCH } from "./contact-lookup-batch";
import { afterPage, type RunScope, type StepEnd } from "./run-scope";

/** Subscribers linked to a contact: what a backfill by id has to read. */
export async function countLinkedSubscribers(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(subscribers)
    .where(and(eq(subscribers.accountId, accountId), isNotNull(subscribers.intercomContactId)));
  return row?.n ?? 0;
}

/**
 * Fills newly mapped attributes without re-reading the workspace: the contacts of linked
 * subscribers are read by id, LOOKUP_BATCH per search, in subscriber-id order (the checkpoint).
 */
export async function walkBackfill(scope: RunScope, cp: BackfillCheckpoint): Promise<StepEnd> {
  for (;;) {
    const batch = await scope.db
      .select({ id: subscribers.id, contactId: subscribers.intercomContactId })
      .from(subscribers)
      .where(
        and(
          eq(subscribers.accountId, scope.ctx.accountId),
          isNotNull(subscribers.intercomContactId),
          cp.afterSubscriberId === null ? undefined : gt(subscribers.id, cp.afterSubscriberId),
        ),
      )
      .orderBy(asc(subscribers.id))
      .limit(LOOKUP_BATCH);
    if (batch.length === 0) return { done: true };
    const ids = [...new Set(batch.map((b) => b.contactId!))];
    const r = await refreshContactsById(scope.db, scope.ctx, scope.client, ids);
    cp.afterSubscriberId = batch[batch.length - 1]!.id;
    cp.read += r.read;
    const last = batch.length < LOOKUP_BATCH;
    const end = await afterPage(scope, cp, { read: r.read, withoutEmail: r.withoutEmail, applied: r }, last);
    if (end) return end;
    if (last) return { done: true };
  }
}

/** Mappings whose values every matched subscriber now has. */
export async function markBackfilled(db: Db, accountId: string, mappingIds: string[]) {
  if (mappingIds.length === 0) return;
  await db
    .update(propertyMappings)
    .set({ backfilledAt: new Date() })
    .where(and(eq(propertyMappings.accountId, accountId), inArray(propertyMappings.id, mappingIds), isNull(propertyMappings.backfilledAt)));
}
