// Which notifications a contact change produces (API-NOTES §5.2). Whether Intercom also notifies
// about changes made through the API is undocumented; the emulator does, so receivers must be
// idempotent either way.

import type { ContactEvent } from "./store";

export interface Notification {
  topic: string;
  item: object;
}

export function notificationsFor(event: ContactEvent): Notification[] {
  const c = event.contact;
  switch (event.kind) {
    case "created":
      return [{ topic: `contact.${c.role}.created`, item: c }];
    case "updated":
      return [
        { topic: `contact.${c.role}.updated`, item: c },
        ...(event.emailChanged ? [{ topic: "contact.email.updated", item: c }] : []),
      ];
    case "merged":
      return [{ topic: "contact.merged", item: { ...c, merged_from: { type: "contact", id: event.mergedFromId } } }];
    case "deleted":
      // *.deleted topics carry a minimal identification payload, not the contact.
      return [{ topic: "contact.deleted", item: { type: "contact", id: c.id, ...(c.external_id ? { external_id: c.external_id } : {}) } }];
    case "archived":
      return [{ topic: "contact.archived", item: c }];
    case "unarchived":
      // The topic really is "unarchive".
      return [{ topic: "contact.unarchive", item: c }];
  }
}
