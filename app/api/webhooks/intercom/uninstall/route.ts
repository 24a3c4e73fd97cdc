// POST /api/webhooks/intercom/uninstall: Intercom's (unsigned) uninstall notice; acted on only once Intercom confirms.
import { confirmUninstall, parseUninstallNotification } from "@/lib/connections/uninstall-notification";
import { runAfterResponse } from "@/lib/widget/after-response";

// The real notice is a few dozen bytes.
const MAX_BODY_BYTES = 16 * 1024;

export async function POST(req: Request) {
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return Response.json({ error: "Body too large" }, { status: 400 });
  }
  const raw = await req.text().catch(() => null);
  if (raw === null || raw.length > MAX_BODY_BYTES) return Response.json({ error: "Body too large or unreadable" }, { status: 400 });
  const notice = parseUninstallNotification(raw);
  if (!notice.ok) return Response.json({ error: notice.error }, { status: 400 });
  // Answer at once (Intercom waits 5 s at most); the check with Intercom runs after the response.
  runAfterResponse(() => confirmUninstall(notice.appId));
  return Response.json({ received: true });
}
