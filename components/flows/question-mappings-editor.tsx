"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { EmptyState, Notice } from "@/components/ui/notice";
import { optionValue } from "@/lib/flows/answer-value";
import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import type { MappableQuestion } from "@/lib/mappings/question-mappings-rules";
import type { SaveQuestionMappingsResult } from "@/lib/mappings/question-mappings";

interface Row {
  key: string;
  questionId: string;
  intercomAttribute: string;
}

const typeLabels: Record<string, string> = { string: "text", integer: "integer", float: "decimal", boolean: "true/false", date: "date" };
const kindLabels: Record<MappableQuestion["kind"], string> = { multiple_choice: "choice", free_text: "free text", rating: "rating" };

let nextKey = 0;
const newRow = (r: Partial<Row> = {}): Row => ({ key: `r${nextKey++}`, questionId: "", intercomAttribute: "", ...r });

export function attributeLabel(a: IntercomDataAttribute) {
  const options = a.options ?? [];
  const shown = options.length > 4 ? `${options.slice(0, 4).join(", ")}, …` : options.join(", ");
  const type = options.length ? `list: ${shown}` : (typeLabels[a.data_type] ?? a.data_type);
  return `${a.label || a.name} (${type})`;
}

export function QuestionMappingsEditor({
  questions,
  attributes,
  attributesAvailable,
  initialRows,
  save,
}: {
  questions: MappableQuestion[];
  attributes: IntercomDataAttribute[];
  attributesAvailable: boolean;
  initialRows: { questionId: string; intercomAttribute: string }[];
  save: (rows: { questionId: string; intercomAttribute: string }[]) => Promise<SaveQuestionMappingsResult>;
}) {
  const router = useRouter();
  const [rows, setRows] = useState<Row[]>(() => initialRows.map((r) => newRow(r)));
  const [rowErrors, setRowErrors] = useState<(string | null)[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);

  const byName = useMemo(() => new Map(attributes.map((a) => [a.name, a])), [attributes]);
  const byQuestion = useMemo(() => new Map(questions.map((q) => [q.id, q])), [questions]);

  function change(key: string, patch: Partial<Row>) {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setDirty(true);
    setSavedAt(null);
  }

  async function onSave() {
    setSaving(true);
    setError(null);
    const result = await save(rows.map(({ questionId, intercomAttribute }) => ({ questionId, intercomAttribute })));
    setSaving(false);
    if (!result.ok) {
      setError(result.error);
      setRowErrors(result.rowErrors);
      return;
    }
    setRowErrors([]);
    setDirty(false);
    setSavedAt(Date.now());
    router.refresh();
  }

  const usedQuestions = new Set(rows.map((r) => r.questionId));
  const usedAttributes = new Set(rows.map((r) => r.intercomAttribute));

  return (
    <div className="space-y-4">
      {error ? <Notice tone="error">{error}</Notice> : null}
      {savedAt ? <Notice tone="success">Mappings saved. New answers are written to Intercom from now on.</Notice> : null}
      {attributesAvailable && attributes.length === 0 ? (
        <Notice tone="warning" title="No writable custom attributes in Intercom">
          Create custom contact attributes in Intercom (Settings &gt; Data &gt; People) — for example a text attribute for the reason and a number
          attribute for the rating — then reload this page.
        </Notice>
      ) : null}

      {rows.length === 0 ? (
        <EmptyState
          title="No question mappings yet"
          action={
            <Button variant="secondary" onClick={() => (setRows([newRow()]), setDirty(true))} disabled={!attributesAvailable}>
              + Add mapping
            </Button>
          }
        >
          Answers are stored in Holdfast only. Map a question to send its answers to an Intercom attribute.
        </EmptyState>
      ) : (
        <>
          <div className="hidden grid-cols-[1fr_1.5rem_1fr_5rem] gap-3 px-1 text-xs font-medium uppercase tracking-wide text-slate-400 md:grid">
            <span>Holdfast question</span>
            <span />
            <span>Intercom custom attribute</span>
            <span />
          </div>
          <ul className="space-y-3">
            {rows.map((row, i) => {
              const question = byQuestion.get(row.questionId);
              const attribute = byName.get(row.intercomAttribute);
              const rowError = rowErrors[i];
              return (
                <li key={row.key} className={`rounded-lg border p-3 ${rowError ? "border-red-200 bg-red-50/40" : "border-slate-200"}`}>
                  <div className="grid items-center gap-3 md:grid-cols-[1fr_1.5rem_1fr_5rem]">
                    <Select value={row.questionId} onChange={(e) => change(row.key, { questionId: e.target.value })} aria-label={`Question for mapping ${i + 1}`}>
                      <option value="">Choose a question…</option>
                      {questions.map((q) => (
                        <option key={q.id} value={q.id} disabled={q.id !== row.questionId && usedQuestions.has(q.id)}>
                          {q.prompt} ({kindLabels[q.kind]})
                        </option>
                      ))}
                    </Select>
                    <span className="hidden text-center text-slate-400 md:block" aria-hidden>
                      →
                    </span>
                    <Select
                      value={row.intercomAttribute}
                      onChange={(e) => change(row.key, { intercomAttribute: e.target.value })}
                      aria-label={`Intercom attribute for mapping ${i + 1}`}
                    >
                      <option value="">Choose an attribute…</option>
                      {row.intercomAttribute && !attribute ? (
                        <option value={row.intercomAttribute}>{row.intercomAttribute} (not available in Intercom)</option>
                      ) : null}
                      {attributes.map((a) => (
                        <option key={a.name} value={a.name} disabled={a.name !== row.intercomAttribute && usedAttributes.has(a.name)}>
                          {attributeLabel(a)}
                        </option>
                      ))}
                    </Select>
                    <Button
                      variant="ghost"
                      className="text-red-600"
                      onClick={() => {
                        setRows((rs) => rs.filter((r) => r.key !== row.key));
                        setRowErrors((es) => es.filter((_, j) => j !== i));
                        setDirty(true);
                      }}
                      aria-label={`Remove mapping ${i + 1}`}
                    >
                      Remove
                    </Button>
                  </div>
                  <RowDetails question={question} attribute={attribute} />
                  {rowError ? (
                    <p role="alert" className="mt-2 text-sm text-red-700">
                      {rowError}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </>
      )}

      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4">
        {rows.length > 0 ? (
          <Button variant="secondary" onClick={() => (setRows((rs) => [...rs, newRow()]), setDirty(true))} disabled={rows.length >= questions.length}>
            + Add mapping
          </Button>
        ) : (
          <span />
        )}
        <div className="flex items-center gap-3">
          {dirty ? <span className="text-sm text-slate-500">Unsaved changes</span> : null}
          <Button onClick={onSave} disabled={saving || !dirty || !attributesAvailable}>
            {saving ? "Checking with Intercom…" : "Save changes"}
          </Button>
        </div>
      </div>
    </div>
  );
}

function RowDetails({ question, attribute }: { question?: MappableQuestion; attribute?: IntercomDataAttribute }) {
  if (!question && !attribute) return null;
  const sends =
    question?.kind === "multiple_choice"
      ? question.options.map(optionValue)
      : question?.kind === "rating"
        ? ["1 … 10"]
        : question
          ? ["the answer text (first 255 characters)"]
          : [];
  return (
    <div className="mt-2 grid gap-2 text-xs text-slate-500 md:grid-cols-[1fr_1.5rem_1fr_5rem] md:gap-3">
      <p>
        {sends.length ? (
          <>
            Sends:{" "}
            {sends.map((s) => (
              <code key={s} className="mr-1 inline-block rounded bg-slate-100 px-1 font-mono text-[11px] text-slate-700">
                {s}
              </code>
            ))}
          </>
        ) : null}
      </p>
      <span />
      <p>
        {attribute?.options?.length ? (
          <>
            Accepts only:{" "}
            {attribute.options.map((o) => (
              <code key={o} className="mr-1 inline-block rounded bg-brand-50 px-1 font-mono text-[11px] text-brand-700">
                {o}
              </code>
            ))}
          </>
        ) : attribute?.description ? (
          attribute.description
        ) : null}
      </p>
    </div>
  );
}
