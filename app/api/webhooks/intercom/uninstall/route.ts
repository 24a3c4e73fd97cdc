// POST /api/webhooks/intercom/uninstall: Intercom's signed uninstall notice; acted on only once Intercom confirms.
import { confirmUninstall, receiveUninstallNotification } from "@/lib/connections/uninstall-notification";
import { readCappedBody } from "@/lib/http/read-capped-body";
import { runAfterResponse } from "@/lib/widget/after-response";

// The real notice is a few dozen bytes.
const MAX_BODY_BYTES = 16 * 1024;

export async function POST(req: Request) {
  const body = await readCappedBody(req, MAX_BODY_BYTES);
  if (!body.ok) return Response.json({ error: body.error }, { status: body.status });
  const notice = receiveUninstallNotification(body.bytes, req.headers);
  if (!notice.ok) return Response.json({ error: notice.error }, { status: notice.status });
  // Answer at once (Intercom waits 5 s at most); the check with Intercom runs after the response.
  runAfterResponse(() => confirmUninstall(notice.appId));
  return Response.json({ received: true });
}
