// POST /api/widget/sessions: a customer-signed subscriber identity starts a cancellation session.
import { readJsonBody, widgetJson, widgetPreflight } from "@/lib/widget/http";
import { startWidgetSession } from "@/lib/widget/start-session";

export async function OPTIONS(req: Request) {
  return widgetPreflight(req);
}

export async function POST(req: Request) {
  const body = await readJsonBody(req);
  if (!body.ok) return widgetJson(req, body.status, { error: body.error });
  const result = await startWidgetSession(body.body);
  if (!result.ok) return widgetJson(req, result.status, { error: result.error });
  return widgetJson(req, 201, { sessionId: result.sessionId, sessionToken: result.sessionToken, flow: result.flow });
}
