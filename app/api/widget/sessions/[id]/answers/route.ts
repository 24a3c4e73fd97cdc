// POST /api/widget/sessions/{id}/answers: stores one survey answer; Intercom is written after the response.
import { runAfterResponse } from "@/lib/widget/after-response";
import { kickDeliveries } from "@/lib/widget/delivery-kick";
import { readJsonBody, widgetJson, widgetPreflight } from "@/lib/widget/http";
import { MAX_ANSWER_BODY_BYTES, recordWidgetAnswer } from "@/lib/widget/record-answer";

export async function OPTIONS(req: Request) {
  return widgetPreflight(req);
}

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  const body = await readJsonBody(req, MAX_ANSWER_BODY_BYTES);
  if (!body.ok) return widgetJson(req, body.status, { error: body.error });
  const result = await recordWidgetAnswer(id, body.body);
  if (!result.ok) return widgetJson(req, result.status, { error: result.error });
  // The subscriber never waits on Intercom; the cron drain picks up anything this attempt leaves.
  if (result.deliveryId) runAfterResponse(() => kickDeliveries(result.accountId));
  return widgetJson(req, 200, { answerId: result.answerId });
}
