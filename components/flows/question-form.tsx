"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import type { EditorQuestion } from "@/lib/flows/flow-editor";
import type { ReasonCodeChange } from "@/lib/flows/reason-code-guard";

type Kind = EditorQuestion["kind"];
interface OptionDraft {
  key: string;
  id?: string;
  text: string;
  reasonCode: string;
}

export interface QuestionDraft {
  id?: string;
  kind: Kind;
  prompt: string;
  options: { id?: string; text: string; reasonCode?: string }[];
  /** Set after the admin confirmed changing values already delivered to Intercom. */
  confirmReasonCodeChanges?: boolean;
}

export type SubmitProblem = { error: string; reasonCodeChanges?: ReasonCodeChange[] };

export const kindLabels: Record<Kind, string> = {
  multiple_choice: "Multiple choice",
  free_text: "Free text",
  rating: "Rating (1–10)",
};

let nextKey = 0;
const draftOption = (o: Partial<OptionDraft> = {}): OptionDraft => ({ key: `o${nextKey++}`, text: "", reasonCode: "", ...o });

/** Suggests a reason code from option text: "It's too expensive" -> "its_too_expensive". */
function slugify(text: string) {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 64);
}

export function QuestionForm({
  initial,
  mappedTo,
  onSubmit,
  onCancel,
}: {
  initial?: EditorQuestion;
  mappedTo?: string | null;
  onSubmit: (draft: QuestionDraft) => Promise<SubmitProblem | null>;
  onCancel: () => void;
}) {
  const [kind, setKind] = useState<Kind>(initial?.kind ?? "multiple_choice");
  const [prompt, setPrompt] = useState(initial?.prompt ?? "");
  const [options, setOptions] = useState<OptionDraft[]>(
    initial?.options.length
      ? initial.options.map((o) => draftOption({ id: o.id, text: o.text, reasonCode: o.reasonCode ?? "" }))
      : [draftOption(), draftOption()],
  );
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<ReasonCodeChange[] | null>(null);
  const [saving, setSaving] = useState(false);

  const update = (key: string, patch: Partial<OptionDraft>) => setOptions((os) => os.map((o) => (o.key === key ? { ...o, ...patch } : o)));
  const move = (index: number, by: -1 | 1) =>
    setOptions((os) => {
      const next = [...os];
      const [item] = next.splice(index, 1);
      next.splice(index + by, 0, item!);
      return next;
    });

  async function send(confirmReasonCodeChanges: boolean) {
    setSaving(true);
    setError(null);
    setPending(null);
    const problem = await onSubmit({
      id: initial?.id,
      kind,
      prompt,
      options: kind === "multiple_choice" ? options.map((o) => ({ id: o.id, text: o.text, reasonCode: o.reasonCode || undefined })) : [],
      ...(confirmReasonCodeChanges ? { confirmReasonCodeChanges } : {}),
    });
    setSaving(false);
    if (problem?.reasonCodeChanges?.length) setPending(problem.reasonCodeChanges);
    else if (problem) setError(problem.error);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void send(false);
  }

  /** Puts the listed options back to what they were, so the values sent to Intercom stay the same. */
  function undoChanges(changes: ReasonCodeChange[]) {
    const original = new Map(initial?.options.map((o) => [o.id, o]));
    const ids = new Set(changes.map((c) => c.optionId));
    setOptions((os) =>
      os.map((o) => {
        const before = o.id && ids.has(o.id) ? original.get(o.id) : undefined;
        return before ? { ...o, text: before.text, reasonCode: before.reasonCode ?? "" } : o;
      }),
    );
    setPending(null);
  }

  return (
    <form onSubmit={submit} className="space-y-5" noValidate>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {pending ? <ReasonCodeConfirm changes={pending} saving={saving} onConfirm={() => void send(true)} onUndo={() => undoChanges(pending)} /> : null}
      {mappedTo ? (
        <Notice tone="info">
          Answers are written to the Intercom attribute <code className="font-mono">{mappedTo}</code>; changes must keep them valid there.
        </Notice>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-[12rem_1fr]">
        <Field label="Type">
          <Select value={kind} onChange={(e) => setKind(e.target.value as Kind)} aria-label="Question type">
            {Object.entries(kindLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Question">
          <Input value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder="What's the main reason you're cancelling?" maxLength={300} autoFocus />
        </Field>
      </div>

      {kind === "multiple_choice" ? (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-700">Options</legend>
          <p className="text-xs text-slate-500">
            A reason code is the stable value sent to Intercom (lowercase, digits, _ or -). Without one, the option text is sent.
          </p>
          <div className="hidden grid-cols-[1fr_14rem_auto] gap-2 px-1 text-xs font-medium uppercase tracking-wide text-slate-400 sm:grid">
            <span>Option text</span>
            <span>Reason code (optional)</span>
            <span className="w-28" />
          </div>
          <ul className="space-y-2">
            {options.map((o, i) => (
              <li key={o.key} className="grid gap-2 sm:grid-cols-[1fr_14rem_auto]">
                <Input value={o.text} onChange={(e) => update(o.key, { text: e.target.value })} placeholder={`Option ${i + 1}`} aria-label={`Option ${i + 1} text`} maxLength={200} />
                <Input
                  value={o.reasonCode}
                  onChange={(e) => update(o.key, { reasonCode: e.target.value })}
                  onFocus={() => !o.reasonCode && o.text && update(o.key, { reasonCode: slugify(o.text) })}
                  placeholder="e.g. too_expensive"
                  aria-label={`Option ${i + 1} reason code`}
                  className="font-mono"
                  maxLength={64}
                />
                <div className="flex w-28 items-center justify-end gap-1">
                  <Button type="button" variant="ghost" className="px-2" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move option ${i + 1} up`}>
                    ↑
                  </Button>
                  <Button type="button" variant="ghost" className="px-2" onClick={() => move(i, 1)} disabled={i === options.length - 1} aria-label={`Move option ${i + 1} down`}>
                    ↓
                  </Button>
                  <Button type="button" variant="ghost" className="px-2 text-red-600" onClick={() => setOptions((os) => os.filter((x) => x.key !== o.key))} aria-label={`Remove option ${i + 1}`}>
                    ✕
                  </Button>
                </div>
              </li>
            ))}
          </ul>
          {options.length < 12 ? (
            <Button type="button" variant="secondary" onClick={() => setOptions((os) => [...os, draftOption()])}>
              + Add option
            </Button>
          ) : null}
        </fieldset>
      ) : kind === "rating" ? (
        <div className="flex flex-wrap gap-1.5" aria-hidden>
          {Array.from({ length: 10 }, (_, i) => (
            <span key={i} className="grid h-8 w-8 place-items-center rounded-md border border-slate-200 text-xs text-slate-500">
              {i + 1}
            </span>
          ))}
          <span className="ml-2 self-center text-xs text-slate-500">Subscribers pick a number from 1 to 10.</span>
        </div>
      ) : (
        <p className="text-sm text-slate-500">Subscribers type an answer (up to 5,000 characters; Intercom receives the first 255).</p>
      )}

      <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
        <Button type="button" variant="secondary" onClick={onCancel} disabled={saving}>
          Cancel
        </Button>
        <Button type="submit" disabled={saving}>
          {saving ? "Saving…" : initial ? "Save question" : "Add question"}
        </Button>
      </div>
    </form>
  );
}

function ReasonCodeConfirm({
  changes,
  saving,
  onConfirm,
  onUndo,
}: {
  changes: ReasonCodeChange[];
  saving: boolean;
  onConfirm: () => void;
  onUndo: () => void;
}) {
  return (
    <Notice tone="warning" title="This changes values already sent to Intercom">
      <ul className="mt-1 space-y-1">
        {changes.map((c) => (
          <li key={c.optionId}>
            &quot;{c.optionText}&quot;: <code className="font-mono">{c.from}</code> → <code className="font-mono">{c.to}</code>, with {c.delivered}{" "}
            answer{c.delivered === 1 ? "" : "s"} already delivered as <code className="font-mono">{c.from}</code>.
          </li>
        ))}
      </ul>
      <p className="mt-2">
        Answers already in Intercom keep the old value, so segments, reports and workflows that use it will stop matching new answers. Renaming an
        option&apos;s text is safe when it has a reason code.
      </p>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button type="button" variant="secondary" onClick={onUndo} disabled={saving}>
          Keep the old values
        </Button>
        <Button type="button" variant="danger" onClick={onConfirm} disabled={saving}>
          {saving ? "Saving…" : "Change them anyway"}
        </Button>
      </div>
    </Notice>
  );
}
