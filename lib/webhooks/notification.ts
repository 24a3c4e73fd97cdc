import { createHash } from "node:crypto";
import { z } from "zod";

// API-NOTES §5.3: real notifications carry more fields than documented (links, delivery_status,
// delivered_at) and pings have `id: null`; only what routing and applying need is required.
export const notificationSchema = z.object({
  type: z.literal("notification_event"),
  id: z.string().min(1).nullish(),
  topic: z.string().min(1),
  app_id: z.string().min(1),
  created_at: z.number().nullish(),
  first_sent_at: z.number().nullish(),
  data: z.object({ item: z.record(z.string(), z.unknown()) }),
});
export type IntercomNotification = z.infer<typeof notificationSchema>;

const itemRefSchema = z.object({
  id: z.string().min(1).optional(),
  updated_at: z.number().int().optional(),
  merged_from: z.object({ id: z.string().min(1) }).optional(),
});

/** The contact a notification is about, and the version it describes (absent for deletions and pings). */
export function itemRef(n: IntercomNotification): { contactId: string | null; updatedAt: number | null; mergedFromId: string | null } {
  const ref = itemRefSchema.safeParse(n.data.item);
  if (!ref.success || n.topic === "ping") return { contactId: null, updatedAt: null, mergedFromId: null };
  return { contactId: ref.data.id ?? null, updatedAt: ref.data.updated_at ?? null, mergedFromId: ref.data.merged_from?.id ?? null };
}

// webhook_events.payload read back for applying: checked again, since a stored row is only as
// good as whatever wrote it.
const storedItemSchema = z.object({ data: z.object({ item: z.unknown() }) });
const mergedItemSchema = z.object({ data: z.object({ item: z.object({ merged_from: z.object({ id: z.string().min(1) }) }) }) });

/** `data.item` of a stored notification, or null when the payload has no such shape. */
export function storedItem(payload: unknown): unknown {
  const parsed = storedItemSchema.safeParse(payload);
  return parsed.success ? parsed.data.data.item : null;
}

/** `data.item.merged_from.id` of a stored contact.merged notification, or null. */
export function storedMergedFromId(payload: unknown): string | null {
  const parsed = mergedItemSchema.safeParse(payload);
  return parsed.success ? parsed.data.data.item.merged_from.id : null;
}

/**
 * The dedupe key. Intercom retries a delivery with the same id; a notification without one (pings)
 * gets a key from what stays the same across its retries.
 */
export function notificationKey(n: IntercomNotification): string {
  if (n.id) return n.id;
  const ref = itemRef(n);
  const stable = [n.topic, n.app_id, n.first_sent_at ?? n.created_at ?? "", ref.contactId ?? "", ref.updatedAt ?? ""].join("|");
  return `derived_${createHash("sha1").update(stable).digest("hex")}`;
}

export type TopicAction = "apply" | "merge" | "unlink" | "record";

/** What a topic asks of the sync (API-NOTES §5.2); anything else is recorded and left alone. */
export function actionForTopic(topic: string): TopicAction {
  switch (topic) {
    case "contact.user.created":
    case "contact.user.updated":
    case "contact.lead.created":
    case "contact.lead.updated":
    case "contact.lead.signed_up":
    case "contact.lead.added_email":
    case "contact.email.updated":
    case "contact.unarchive":
      return "apply";
    case "contact.merged":
      return "merge";
    case "contact.deleted":
    case "contact.archived":
      return "unlink";
    default:
      return "record";
  }
}
