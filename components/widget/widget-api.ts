// Browser-side calls from the hosted widget to Holdfast's public widget endpoints.

export interface WidgetQuestion {
  id: string;
  kind: "multiple_choice" | "free_text" | "rating";
  prompt: string;
  options: { id: string; text: string }[];
}

export interface StartedSession {
  sessionId: string;
  sessionToken: string;
  flow: { id: string; name: string; questions: WidgetQuestion[] };
}

export type AnswerInput = { optionId: string } | { text: string } | { rating: number };

export class WidgetApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function postJson<T>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch {
    throw new WidgetApiError(0, "We couldn't reach the server. Check your connection and try again.");
  }
  const json = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new WidgetApiError(res.status, json.error ?? `Request failed (${res.status}).`);
  return json as T;
}

export const startSession = (identity: Record<string, string | undefined>) => postJson<StartedSession>("/api/widget/sessions", identity);

export const sendAnswer = (s: StartedSession, questionId: string, answer: AnswerInput) =>
  postJson<{ answerId: string }>(`/api/widget/sessions/${s.sessionId}/answers`, { sessionToken: s.sessionToken, questionId, ...answer });

export const completeSession = (s: StartedSession, outcome: "cancelled" | "retained") =>
  postJson<{ outcome: string }>(`/api/widget/sessions/${s.sessionId}/complete`, { sessionToken: s.sessionToken, outcome });
