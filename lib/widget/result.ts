import type { z } from "zod";

/** What a widget operation refused, with the HTTP status the route answers. */
export interface WidgetFailure {
  ok: false;
  status: 400 | 401 | 404 | 409;
  error: string;
}

export const fail = (status: WidgetFailure["status"], error: string): WidgetFailure => ({ ok: false, status, error });

/** First zod issue as one readable sentence, e.g. "email: Enter a valid email address". */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "Invalid request.";
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  return `${where}${issue.message}`;
}
