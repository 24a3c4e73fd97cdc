import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { executeRows } from "@/db/bulk-sql";
import type { Db } from "@/db/client";
import { LEASE_SECONDS } from "./sync-state";

/**
 * A window is one pass over the contacts to apply: everything (full) or everything changed since
 * the watermark (incremental), read by paging a search (scan) or by searching the subscribers'
 * emails in batches (lookup). Its checkpoint is saved after every page, so a run cut off at any
 * moment resumes with at most the page in flight read again.
 */
export const windowCheckpointSchema = z.object({
  kind: z.literal("window"),
  runId: z.string(),
  mode: z.enum(["full", "incremental"]),
  strategy: z.enum(["scan", "lookup"]),
  /** Unix ms when the window began. */
  startedAtMs: z.number(),
  /** Search lower bound: `updated_at > from` (day-truncated by Intercom; 0 = everything). */
  from: z.number(),
  /** Exact local bound: contacts updated before it were applied already. */
  floor: z.number().nullable(),
  /** Scan: the next page's cursor; null = the window (or its restart) starts at page 1. */
  cursor: z.string().nullable(),
  /** Lookup: the last subscriber email key whose batch is done. */
  afterEmail: z.string().nullable(),
  /** Newest updated_at applied in this window. */
  maxSeen: z.number().nullable(),
  estimatedTotal: z.number().nullable(),
  /** Contacts read in this window so far, across runs. */
  read: z.number(),
});

/** Filling newly mapped attributes for linked subscribers, by contact id in batches. */
export const backfillCheckpointSchema = z.object({
  kind: z.literal("backfill"),
  runId: z.string(),
  startedAtMs: z.number(),
  mappingIds: z.array(z.string()),
  /** The last subscriber id whose batch is done. */
  afterSubscriberId: z.string().nullable(),
  estimatedTotal: z.number().nullable(),
  read: z.number(),
});

export const checkpointSchema = z.discriminatedUnion("kind", [windowCheckpointSchema, backfillCheckpointSchema]);
export type WindowCheckpoint = z.infer<typeof windowCheckpointSchema>;
export type BackfillCheckpoint = z.infer<typeof backfillCheckpointSchema>;
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** jsonb read back from our own table is still a boundary: anything unreadable starts afresh. */
export function parseCheckpoint(raw: unknown): Checkpoint | null {
  if (raw === null || raw === undefined) return null;
  const parsed = checkpointSchema.safeParse(raw);
  if (!parsed.success) console.warn("[sync] ignoring an unreadable checkpoint", parsed.error.message);
  return parsed.success ? parsed.data : null;
}

/**
 * Saves the checkpoint and extends the lease (the run's heartbeat), answering a row only while the
 * lease is ours. Run alone (saveCheckpoint) or inside a page's write, so that the page and the
 * checkpoint naming the page after it commit together.
 */
export function checkpointSave(connectionId: string, owner: string, checkpoint: Checkpoint): SQL {
  return sql`
    update sync_state set
      checkpoint = ${JSON.stringify(checkpoint)}::jsonb,
      active_run_id = ${checkpoint.runId}::uuid,
      lease_expires_at = now() + ${sql.raw(`interval '${LEASE_SECONDS} seconds'`)}
    where connection_id = ${connectionId}::uuid and lease_owner = ${owner}
    returning 1 as saved`;
}

/** False when the lease is no longer ours: another run took over after ours stalled, so we must stop. */
export async function saveCheckpoint(db: Db, connectionId: string, owner: string, checkpoint: Checkpoint): Promise<boolean> {
  return (await executeRows(db, checkpointSave(connectionId, owner, checkpoint))).length > 0;
}
