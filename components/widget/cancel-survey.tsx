"use client";

import { useEffect, useRef, useState } from "react";
import { customerMessage } from "./customer-message";
import { QuestionStep } from "./question-step";
import { completeSession, sendAnswer, startSession, type AnswerInput, type StartedSession } from "./widget-api";

type Phase =
  | { name: "starting" }
  | { name: "refused"; message: string }
  | { name: "question"; index: number }
  | { name: "confirm" }
  | { name: "done"; outcome: "cancelled" | "retained" };

/** Tells the page that embedded us (widget.js) to close the overlay or that the flow ended. */
function notifyParent(message: { type: "holdfast:close" } | { type: "holdfast:complete"; outcome: string }) {
  if (window.parent !== window) window.parent.postMessage(message, "*");
}

export function CancelSurvey({ identity }: { identity: Record<string, string | undefined> }) {
  const [session, setSession] = useState<StartedSession | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: "starting" });
  const [answers, setAnswers] = useState<Record<string, AnswerInput | null>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Once per mount, even under Strict Mode's double effects: each start creates a session row.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    startSession(identity).then(
      (s) => {
        setSession(s);
        setPhase(s.flow.questions.length ? { name: "question", index: 0 } : { name: "confirm" });
      },
      (err: unknown) => setPhase({ name: "refused", message: customerMessage("start", err) }),
    );
  }, [identity]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && notifyParent({ type: "holdfast:close" });
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const questions = session?.flow.questions ?? [];
  const total = questions.length + 1;
  const step = phase.name === "question" ? phase.index : phase.name === "confirm" ? questions.length : 0;

  async function next(skip: boolean) {
    if (!session || phase.name !== "question") return;
    const question = questions[phase.index]!;
    const answer = answers[question.id];
    if (!skip && answer) {
      setBusy(true);
      setError(null);
      try {
        await sendAnswer(session, question.id, answer);
      } catch (err) {
        setBusy(false);
        setError(customerMessage("answer", err));
        return;
      }
      setBusy(false);
    }
    setError(null);
    setPhase(phase.index + 1 < questions.length ? { name: "question", index: phase.index + 1 } : { name: "confirm" });
  }

  async function finish(outcome: "cancelled" | "retained") {
    if (!session) return;
    setBusy(true);
    setError(null);
    try {
      await completeSession(session, outcome);
      setPhase({ name: "done", outcome });
      notifyParent({ type: "holdfast:complete", outcome });
    } catch (err) {
      setError(customerMessage("complete", err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div
      className="fixed inset-0 flex items-center justify-center bg-slate-900/50 p-4"
      onClick={(e) => e.target === e.currentTarget && notifyParent({ type: "holdfast:close" })}
    >
      <div role="dialog" aria-modal="true" aria-label="Cancel subscription" className="relative w-full max-w-lg rounded-2xl bg-white shadow-2xl">
        <button
          type="button"
          onClick={() => notifyParent({ type: "holdfast:close" })}
          aria-label="Close"
          className="absolute right-3 top-3 grid h-8 w-8 place-items-center rounded-full text-slate-400 hover:bg-slate-100 hover:text-slate-700"
        >
          ✕
        </button>
        <div className="px-6 pb-6 pt-7 sm:px-8">
          {phase.name === "starting" ? (
            <div className="flex flex-col items-center gap-3 py-12 text-sm text-slate-500" aria-busy="true">
              <span className="h-6 w-6 animate-spin rounded-full border-2 border-slate-200 border-t-brand-600" />
              Loading…
            </div>
          ) : phase.name === "refused" ? (
            <div className="py-8 text-center">
              <p className="text-base font-semibold text-slate-900">We couldn&apos;t open the cancellation form</p>
              <p className="mt-2 text-sm text-slate-500">{phase.message}</p>
              <p className="mt-4 text-xs text-slate-400">Please contact support to cancel your subscription.</p>
            </div>
          ) : phase.name === "done" ? (
            <div className="py-8 text-center">
              <span className="mx-auto grid h-12 w-12 place-items-center rounded-full bg-emerald-50 text-2xl text-emerald-600">✓</span>
              <p className="mt-4 text-lg font-semibold text-slate-900">
                {phase.outcome === "cancelled" ? "Your subscription is cancelled" : "Great, you're staying!"}
              </p>
              <p className="mt-2 text-sm text-slate-500">
                {phase.outcome === "cancelled"
                  ? "Thank you for the feedback — it helps us get better. You're welcome back any time."
                  : "Nothing has changed on your subscription."}
              </p>
              <button
                type="button"
                onClick={() => notifyParent({ type: "holdfast:close" })}
                className="mt-6 rounded-lg border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
              >
                Close
              </button>
            </div>
          ) : (
            <>
              <div className="mb-6 pr-8">
                <p className="text-xs font-medium uppercase tracking-wide text-slate-400">
                  Step {step + 1} of {total}
                </p>
                <div className="mt-2 h-1.5 overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-valuemin={1} aria-valuemax={total} aria-valuenow={step + 1}>
                  <div className="h-full rounded-full bg-brand-600 transition-all" style={{ width: `${((step + 1) / total) * 100}%` }} />
                </div>
              </div>
              {phase.name === "question" ? (
                <QuestionStep
                  key={questions[phase.index]!.id}
                  question={questions[phase.index]!}
                  value={answers[questions[phase.index]!.id] ?? null}
                  onChange={(v) => setAnswers((a) => ({ ...a, [questions[phase.index]!.id]: v }))}
                />
              ) : (
                <div className="space-y-2">
                  <h2 className="text-lg font-semibold text-slate-900">Confirm your cancellation</h2>
                  <p className="text-sm text-slate-500">Your subscription will be cancelled. You can keep it if you changed your mind.</p>
                </div>
              )}
              {error ? (
                <p role="alert" className="mt-4 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
                  {error}
                </p>
              ) : null}
              <div className="mt-8 flex flex-wrap items-center justify-between gap-3">
                {phase.name === "question" ? (
                  <>
                    <button type="button" onClick={() => next(true)} disabled={busy} className="text-sm font-medium text-slate-500 hover:text-slate-800">
                      Skip
                    </button>
                    <button
                      type="button"
                      onClick={() => next(false)}
                      disabled={busy || !answers[questions[phase.index]!.id]}
                      className="rounded-lg bg-brand-600 px-5 py-2.5 text-sm font-medium text-white shadow-sm hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-50"
                    >
                      {busy ? "Saving…" : "Continue"}
                    </button>
                  </>
                ) : (
                  <>
                    <button
                      type="button"
                      onClick={() => finish("retained")}
                      disabled={busy}
                      className="rounded-lg border border-slate-300 px-4 py-2.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50"
                    >
                      Keep my subscription
                    </button>
                    <button
                      type="button"
                      onClick={() => finish("cancelled")}
                      disabled={busy}
                      className="rounded-lg bg-red-600 px-5 py-2.5 text-sm font-medium text-white shadow-sm hover:bg-red-700 disabled:opacity-50"
                    >
                      {busy ? "Cancelling…" : "Confirm cancellation"}
                    </button>
                  </>
                )}
              </div>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
