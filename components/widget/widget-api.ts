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

/** A refused or failed request; `message` is Holdfast's explanation for developers (status 0: no answer). */
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
  } catch (err) {
    throw new WidgetApiError(0, err instanceof Error ? err.message : "network error");
  }
  const json = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) {
    const detail = json.error ?? `Request failed (${res.status}).`;
    // For whoever installs the widget: the customer sees a plain sentence (customer-message.ts).
    console.warn(`[Holdfast widget] ${path} answered ${res.status}: ${detail}`);
    throw new WidgetApiError(res.status, detail);
  }
  return json as T;
}

export const startSession = (identity: Record<string, string | undefined>) => postJson<StartedSession>("/api/widget/sessions", identity);

export const sendAnswer = (s: StartedSession, questionId: string, answer: AnswerInput) =>
  postJson<{ answerId: string }>(`/api/widget/sessions/${s.sessionId}/answers`, { sessionToken: s.sessionToken, questionId, ...answer });

export const completeSession = (s: StartedSession, outcome: "cancelled" | "retained") =>
  postJson<{ outcome: string }>(`/api/widget/sessions/${s.sessionId}/complete`, { sessionToken: s.sessionToken, outcome });
