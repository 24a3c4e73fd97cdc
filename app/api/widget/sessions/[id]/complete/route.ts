// POST /api/widget/sessions/{id}/complete: records how the cancellation session ended.
import { completeWidgetSession } from "@/lib/widget/complete-session";
import { readJsonBody, widgetJson, widgetPreflight } from "@/lib/widget/http";

export async function OPTIONS(req: Request) {
  return widgetPreflight(req);
}

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  const body = await readJsonBody(req);
  if (!body.ok) return widgetJson(req, body.status, { error: body.error });
  const result = await completeWidgetSession(id, body.body);
  if (!result.ok) return widgetJson(req, result.status, { error: result.error });
  return widgetJson(req, 200, { outcome: result.outcome });
}
