// POST /api/webhooks/intercom: Intercom contact notifications — verified, stored, applied after the response.
import { NextResponse } from "next/server";
import { processAfterResponse } from "@/lib/webhooks/process-webhook-events";
import { readCappedBody } from "@/lib/http/read-capped-body";
import { receiveIntercomNotification } from "@/lib/webhooks/receive-notification";

export const maxDuration = 60;

// Contact notifications are a few KB; anything near this is not Intercom.
const MAX_BODY_BYTES = 1024 * 1024;

// Intercom validates the URL with a HEAD request when the webhook is saved.
export function HEAD() {
  return new Response(null, { status: 200 });
}

export async function POST(req: Request) {
  const body = await readCappedBody(req, MAX_BODY_BYTES);
  if (!body.ok) return NextResponse.json({ error: body.error }, { status: body.status });
  const result = await receiveIntercomNotification(body.bytes, req.headers);
  if (result.status === "rejected") return NextResponse.json({ error: result.error }, { status: result.httpStatus });
  if (result.status === "queued") processAfterResponse();
  return NextResponse.json({ received: true, status: result.status });
}
