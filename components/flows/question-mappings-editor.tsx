"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { EmptyState, Notice } from "@/components/ui/notice";
import { optionValue } from "@/lib/flows/answer-value";
import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import type { CreateQuestionAttributeResult } from "@/lib/mappings/create-question-attribute";
import { capLevel, CUSTOM_ATTRIBUTE_CAP } from "@/lib/mappings/create-question-attribute-rules";
import type { SaveQuestionMappingsResult } from "@/lib/mappings/question-mappings";
import { checkQuestionMapping, type MappableQuestion } from "@/lib/mappings/question-mappings-rules";
import { suggestAttribute } from "@/lib/mappings/suggest-attribute";
import { CreateAttributeButton } from "./create-attribute-button";

interface Row {
  key: string;
  questionId: string;
  intercomAttribute: string;
}

export interface SavedQuestionMapping {
  id: string;
  questionId: string;
  intercomAttribute: string;
  status: "ok" | "broken";
  statusReason: string | null;
}

export type CheckHealthResult = { ok: true; message: string } | { ok: false; error: string };

const typeLabels: Record<string, string> = { string: "text", integer: "integer", float: "decimal", boolean: "true/false", date: "date" };
const kindLabels: Record<MappableQuestion["kind"], string> = { multiple_choice: "choice", free_text: "free text", rating: "rating" };
/** What the attribute list offers for each kind: only attributes that can hold its answers. */
const fittingKinds: Record<MappableQuestion["kind"], string> = {
  multiple_choice: "a text or matching list attribute",
  free_text: "a text attribute",
  rating: "a number attribute",
};

const fits = (question: MappableQuestion, attribute: IntercomDataAttribute) => checkQuestionMapping(question, attribute, attribute.name) === null;

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
  attributes: loadedAttributes,
  attributesAvailable,
  savedMappings,
  takenNames,
  customAttributeCount,
  save,
  create,
  checkHealth,
}: {
  questions: MappableQuestion[];
  /** Attributes answers may be written to (custom, writable, active). */
  attributes: IntercomDataAttribute[];
  attributesAvailable: boolean;
  savedMappings: SavedQuestionMapping[];
  /** Every attribute name in the workspace, archived included: new names must differ. */
  takenNames: string[];
  /** Active custom attributes (Intercom's cap is per workspace), null when unknown. */
  customAttributeCount: number | null;
  save: (rows: { questionId: string; intercomAttribute: string }[]) => Promise<SaveQuestionMappingsResult>;
  create: (questionId: string) => Promise<CreateQuestionAttributeResult>;
  checkHealth: () => Promise<CheckHealthResult>;
}) {
  const router = useRouter();
  const [rows, setRows] = useState<Row[]>(() => savedMappings.map((m) => newRow(m)));
  const [rowErrors, setRowErrors] = useState<(string | null)[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: "success" | "warning"; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [checking, setChecking] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [created, setCreated] = useState<IntercomDataAttribute[]>([]);
  const [count, setCount] = useState(customAttributeCount);

  const attributes = useMemo(() => {
    const names = new Set(loadedAttributes.map((a) => a.name));
    return [...loadedAttributes, ...created.filter((a) => !names.has(a.name))];
  }, [loadedAttributes, created]);
  const byName = useMemo(() => new Map(attributes.map((a) => [a.name, a])), [attributes]);
  const byQuestion = useMemo(() => new Map(questions.map((q) => [q.id, q])), [questions]);
  const savedByQuestion = useMemo(() => new Map(savedMappings.map((m) => [m.questionId, m])), [savedMappings]);
  const broken = savedMappings.filter((m) => m.status === "broken");
  const allTaken = useMemo(() => [...takenNames, ...created.map((a) => a.name)], [takenNames, created]);
  const level = count === null ? "ok" : capLevel(count);

  function change(key: string, patch: Partial<Row>) {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setDirty(true);
    setMessage(null);
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
    setMessage({ tone: "success", text: "Mappings saved. New answers are written to Intercom from now on; answers that were waiting are sent again." });
    router.refresh();
  }

  async function onCheck() {
    setChecking(true);
    setError(null);
    const result = await checkHealth();
    setChecking(false);
    if (result.ok) setMessage({ tone: "success", text: result.message });
    else setError(result.error);
    router.refresh();
  }

  /** The attribute now exists and the question is mapped to it on the server: show that here. */
  function onCreated(questionId: string, attribute: IntercomDataAttribute, result: Extract<CreateQuestionAttributeResult, { ok: true }>) {
    setCreated((list) => [...list, attribute]);
    setCount(result.customAttributeCount);
    setRows((rs) =>
      rs.some((r) => r.questionId === questionId)
        ? rs.map((r) => (r.questionId === questionId ? { ...r, intercomAttribute: attribute.name } : r))
        : [...rs, newRow({ questionId, intercomAttribute: attribute.name })],
    );
    setRowErrors([]);
    const near =
      result.capLevel === "ok"
        ? ""
        : ` Your workspace now uses ${result.customAttributeCount} of Intercom's ${CUSTOM_ATTRIBUTE_CAP} custom attributes.`;
    setMessage({
      tone: result.capLevel === "ok" ? "success" : "warning",
      text: `Created "${attribute.name}" in Intercom and mapped "${byQuestion.get(questionId)?.prompt ?? "the question"}" to it.${near}`,
    });
    router.refresh();
  }

  const usedQuestions = new Set(rows.map((r) => r.questionId));
  const usedAttributes = new Set(rows.map((r) => r.intercomAttribute));
  const unmapped = questions.filter((q) => !usedQuestions.has(q.id));
  const addRow = (questionId: string, intercomAttribute = "") => {
    setRows((rs) => [...rs, newRow({ questionId, intercomAttribute })]);
    setDirty(true);
  };
  /** A question picked in a row keeps an attribute that still fits, else takes the suggested one. */
  function chooseQuestion(row: Row, questionId: string) {
    const question = byQuestion.get(questionId);
    const current = byName.get(row.intercomAttribute);
    const elsewhere = new Set(rows.filter((r) => r.key !== row.key).map((r) => r.intercomAttribute));
    const keep = question && current && fits(question, current);
    change(row.key, { questionId, intercomAttribute: keep ? row.intercomAttribute : question ? (suggestAttribute(question, attributes, elsewhere)?.name ?? "") : "" });
  }
  const createFor = (question: MappableQuestion, emphasis: boolean) => (
    <CreateAttributeButton
      question={question}
      takenNames={allTaken}
      capReached={level === "full"}
      emphasis={emphasis}
      create={create}
      onCreated={(attribute, result) => onCreated(question.id, attribute, result)}
    />
  );

  return (
    <div className="space-y-4">
      {broken.length ? (
        <Notice tone="error" title={`${broken.length} question mapping${broken.length === 1 ? " is" : "s are"} broken`}>
          <p>
            Intercom changed the attribute{broken.length === 1 ? "" : "s"} below. Answers to {broken.length === 1 ? "this question are" : "these questions are"}{" "}
            kept and wait; they are sent once the mapping works again. Fix each one by picking another attribute and saving, creating a new
            attribute in Intercom, or restoring the attribute in Intercom and checking again.
          </p>
          <Button variant="secondary" className="mt-3" onClick={onCheck} disabled={checking}>
            {checking ? "Checking with Intercom…" : "Check again"}
          </Button>
        </Notice>
      ) : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <CapNotice count={count} />
      {attributesAvailable && attributes.length === 0 ? (
        <Notice tone="warning" title="No writable custom attributes in Intercom yet">
          Create one for a question below with &quot;Create in Intercom&quot;, or create custom contact attributes in Intercom (Settings &gt; Data &gt;
          People) and reload this page.
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
          Answers are stored in Holdfast only. Map a question to send its answers to an Intercom attribute, or create one for it below.
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
              const saved = savedByQuestion.get(row.questionId);
              const isBroken = saved?.status === "broken" && saved.intercomAttribute === row.intercomAttribute;
              const rowError = rowErrors[i];
              const suitable = question ? attributes.filter((a) => fits(question, a)) : [];
              const offered = suitable.some((a) => a.name === row.intercomAttribute);
              const needsAttribute = !row.intercomAttribute || isBroken || (Boolean(row.intercomAttribute) && !attribute);
              return (
                <li
                  key={row.key}
                  id={saved ? `mapping-${saved.id}` : undefined}
                  className={`scroll-mt-24 rounded-lg border p-3 ${rowError || isBroken ? "border-red-200 bg-red-50/40" : "border-slate-200"}`}
                >
                  <div className="grid items-center gap-3 md:grid-cols-[1fr_1.5rem_1fr_5rem]">
                    <Select value={row.questionId} onChange={(e) => chooseQuestion(row, e.target.value)} aria-label={`Question for mapping ${i + 1}`}>
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
                      disabled={!question}
                      aria-label={`Intercom attribute for mapping ${i + 1}`}
                    >
                      <option value="">{question ? `Choose ${fittingKinds[question.kind]}…` : "Choose a question first"}</option>
                      {row.intercomAttribute && !offered ? (
                        // Kept visible so a saved mapping that no longer fits shows what it points at.
                        <option value={row.intercomAttribute}>
                          {attribute ? `${attributeLabel(attribute)}: does not fit this question` : `${row.intercomAttribute} (not available in Intercom)`}
                        </option>
                      ) : null}
                      {suitable.map((a) => (
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
                  {isBroken ? (
                    <div className="mt-2 flex flex-wrap items-start gap-2 text-sm text-red-800">
                      <Badge tone="red">Broken</Badge>
                      <p className="min-w-0 flex-1">
                        <code className="font-mono">{saved.intercomAttribute}</code>: {saved.statusReason ?? "no longer usable in Intercom"}. Answers
                        wait until this is fixed: pick another attribute and save, or create one below.
                      </p>
                    </div>
                  ) : null}
                  <RowDetails question={question} attribute={attribute} />
                  {rowError ? (
                    <p role="alert" className="mt-2 text-sm text-red-700">
                      {rowError}
                    </p>
                  ) : null}
                  {question && needsAttribute && attributesAvailable ? createFor(question, suitable.length === 0 || isBroken) : null}
                </li>
              );
            })}
          </ul>
        </>
      )}

      {unmapped.length && attributesAvailable ? (
        <div className="rounded-lg border border-dashed border-slate-300 p-3">
          <p className="text-sm font-medium text-slate-700">Not sent to Intercom</p>
          <ul className="mt-2 space-y-3">
            {unmapped.map((q) => {
              const suggested = suggestAttribute(q, attributes, usedAttributes);
              const anyFits = attributes.some((a) => fits(q, a));
              return (
                <li key={q.id} className="text-sm text-slate-600">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span>
                      {q.prompt} <span className="text-slate-400">({kindLabels[q.kind]})</span>
                    </span>
                    <span className="flex flex-wrap items-center gap-1">
                      {suggested ? (
                        <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={() => addRow(q.id, suggested.name)} title={attributeLabel(suggested)}>
                          Map to {suggested.label || suggested.name}
                        </Button>
                      ) : null}
                      {anyFits ? (
                        <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => addRow(q.id)}>
                          {suggested ? "Pick another attribute" : "Map to an existing attribute"}
                        </Button>
                      ) : null}
                    </span>
                  </div>
                  {createFor(q, !anyFits)}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}

      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4">
        {rows.length > 0 ? (
          <Button variant="secondary" onClick={() => addRow("")} disabled={rows.length >= questions.length}>
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

function CapNotice({ count }: { count: number | null }) {
  if (count === null) return null;
  const level = capLevel(count);
  if (level === "ok") {
    return (
      <p className="text-xs text-slate-500">
        Your Intercom workspace uses {count} of {CUSTOM_ATTRIBUTE_CAP} custom attributes.
      </p>
    );
  }
  return (
    <Notice tone={level === "full" ? "error" : "warning"} title={level === "full" ? "Intercom's attribute limit is reached" : "Close to Intercom's attribute limit"}>
      Your workspace uses {count} of the {CUSTOM_ATTRIBUTE_CAP} custom attributes Intercom allows.{" "}
      {level === "full"
        ? "Holdfast cannot create more: archive attributes you no longer use in Intercom (Settings > Data > People), or map questions to existing ones."
        : "Archive attributes you no longer use in Intercom before creating more."}
    </Notice>
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
