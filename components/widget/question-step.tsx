"use client";

import type { AnswerInput, WidgetQuestion } from "./widget-api";

/** One question, rendered for its kind; reports the current (possibly incomplete) answer. */
export function QuestionStep({
  question,
  value,
  onChange,
}: {
  question: WidgetQuestion;
  value: AnswerInput | null;
  onChange: (value: AnswerInput | null) => void;
}) {
  const headingId = `q-${question.id}`;
  return (
    <fieldset aria-labelledby={headingId} className="space-y-4">
      <h2 id={headingId} className="text-lg font-semibold text-slate-900">
        {question.prompt}
      </h2>
      {question.kind === "multiple_choice" ? (
        <div className="space-y-2" role="radiogroup" aria-labelledby={headingId}>
          {question.options.map((o) => {
            const checked = value !== null && "optionId" in value && value.optionId === o.id;
            return (
              <label
                key={o.id}
                className={`flex cursor-pointer items-center gap-3 rounded-lg border px-4 py-3 text-sm transition ${
                  checked ? "border-brand-500 bg-brand-50 ring-1 ring-brand-500" : "border-slate-200 hover:border-slate-300 hover:bg-slate-50"
                }`}
              >
                <input
                  type="radio"
                  name={question.id}
                  value={o.id}
                  checked={checked}
                  onChange={() => onChange({ optionId: o.id })}
                  className="h-4 w-4 accent-brand-600"
                />
                <span className="text-slate-800">{o.text}</span>
              </label>
            );
          })}
        </div>
      ) : question.kind === "free_text" ? (
        <div>
          <textarea
            aria-labelledby={headingId}
            rows={5}
            maxLength={5000}
            value={value && "text" in value ? value.text : ""}
            onChange={(e) => onChange(e.target.value.trim() ? { text: e.target.value } : null)}
            placeholder="Type your answer…"
            className="block w-full resize-none rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
          />
          <p className="mt-1 text-right text-xs text-slate-400">{value && "text" in value ? value.text.length : 0} / 5000</p>
        </div>
      ) : (
        <div>
          <div className="grid grid-cols-5 gap-2 sm:grid-cols-10" role="radiogroup" aria-labelledby={headingId}>
            {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => {
              const checked = value !== null && "rating" in value && value.rating === n;
              return (
                <button
                  key={n}
                  type="button"
                  role="radio"
                  aria-checked={checked}
                  onClick={() => onChange({ rating: n })}
                  className={`h-10 rounded-lg border text-sm font-medium transition ${
                    checked ? "border-brand-600 bg-brand-600 text-white" : "border-slate-200 text-slate-700 hover:border-brand-500 hover:text-brand-700"
                  }`}
                >
                  {n}
                </button>
              );
            })}
          </div>
          <div className="mt-1.5 flex justify-between text-xs text-slate-400">
            <span>Not likely</span>
            <span>Very likely</span>
          </div>
        </div>
      )}
    </fieldset>
  );
}
