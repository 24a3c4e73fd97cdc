"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState, Notice } from "@/components/ui/notice";
import type { EditorQuestion, EditorResult } from "@/lib/flows/flow-editor";
import type { ReasonCodeHold } from "@/lib/flows/reason-code-guard";
import { kindLabels, QuestionForm, type QuestionDraft, type SubmitProblem } from "./question-form";

/** A question mapping Intercom broke (attribute archived, deleted, retyped): shown on its question. */
export interface BrokenMappingNote {
  mappingId: string;
  reason: string | null;
}

export interface FlowEditorActions {
  save: (draft: QuestionDraft) => Promise<EditorResult<{ questionId: string }> | ReasonCodeHold>;
  remove: (questionId: string) => Promise<EditorResult>;
  reorder: (questionIds: string[]) => Promise<EditorResult>;
}

export function FlowEditor({
  flowName,
  questions,
  actions,
  brokenMappings = {},
}: {
  flowName: string;
  questions: EditorQuestion[];
  actions: FlowEditorActions;
  /** By question id. */
  brokenMappings?: Record<string, BrokenMappingNote>;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, startTransition] = useTransition();

  async function save(draft: QuestionDraft): Promise<SubmitProblem | null> {
    const result = await actions.save(draft);
    if (!result.ok) return "reasonCodeChanges" in result ? result : { error: result.error };
    setEditing(null);
    router.refresh();
    return null;
  }

  function run(task: () => Promise<EditorResult>) {
    setError(null);
    startTransition(async () => {
      const result = await task();
      if (!result.ok) setError(result.error);
      router.refresh();
    });
  }

  function move(index: number, by: -1 | 1) {
    const ids = questions.map((q) => q.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    run(() => actions.reorder(ids));
  }

  return (
    <Card>
      <CardHeader
        title={flowName}
        description={`${questions.length} question${questions.length === 1 ? "" : "s"}, shown one per step before the subscriber confirms.`}
        actions={
          editing === null ? (
            <Button onClick={() => setEditing("new")} disabled={busy}>
              + Add question
            </Button>
          ) : null
        }
      />
      <CardBody className="space-y-4">
        {error ? <Notice tone="error">{error}</Notice> : null}
        {questions.length === 0 && editing !== "new" ? (
          <EmptyState title="No questions yet" action={<Button onClick={() => setEditing("new")}>+ Add question</Button>}>
            Subscribers will go straight to the confirmation step. Add a question to learn why they leave.
          </EmptyState>
        ) : null}
        <ol className="space-y-3">
          {questions.map((q, i) => (
            <li key={q.id} className="rounded-lg border border-slate-200">
              {editing === q.id ? (
                <div className="p-4">
                  <QuestionForm initial={q} mappedTo={q.mapping?.attribute} onSubmit={save} onCancel={() => setEditing(null)} />
                </div>
              ) : (
                <QuestionRow
                  question={q}
                  broken={brokenMappings[q.id]}
                  index={i}
                  isLast={i === questions.length - 1}
                  busy={busy || editing !== null}
                  onEdit={() => setEditing(q.id)}
                  onMove={(by) => move(i, by)}
                  onRemove={() => {
                    const mapping = q.mapping
                      ? ` Its mapping to Intercom "${q.mapping.attribute}" is removed, so another question can use that attribute.`
                      : "";
                    const message =
                      `Remove "${q.prompt}" from the flow? Subscribers will no longer be asked it.${mapping}\n\n` +
                      "If it already has answers, it is archived instead of deleted: its answers stay on subscriber pages and any not yet written to Intercom are still delivered.";
                    if (window.confirm(message)) run(() => actions.remove(q.id));
                  }}
                />
              )}
            </li>
          ))}
        </ol>
        {editing === "new" ? (
          <div className="rounded-lg border border-brand-100 bg-brand-50/40 p-4">
            <h3 className="mb-4 text-sm font-semibold text-slate-900">New question</h3>
            <QuestionForm onSubmit={save} onCancel={() => setEditing(null)} />
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}

function QuestionRow({
  question: q,
  broken,
  index,
  isLast,
  busy,
  onEdit,
  onMove,
  onRemove,
}: {
  question: EditorQuestion;
  broken?: BrokenMappingNote;
  index: number;
  isLast: boolean;
  busy: boolean;
  onEdit: () => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  return (
    <div className="flex flex-wrap items-start gap-4 p-4">
      <span className="grid h-7 w-7 shrink-0 place-items-center rounded-full bg-slate-100 text-xs font-semibold text-slate-600">{index + 1}</span>
      <div className="min-w-0 flex-1 space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <p className="font-medium text-slate-900">{q.prompt}</p>
          <Badge tone="slate">{kindLabels[q.kind]}</Badge>
          {q.mapping ? <Badge tone={broken ? "red" : "blue"}>→ Intercom: {q.mapping.attribute}</Badge> : null}
        </div>
        {broken ? (
          <p className="text-xs text-red-700">
            Mapping broken{broken.reason ? ` (${broken.reason})` : ""}: answers wait until it is fixed.{" "}
            <Link className="font-medium underline" href={`/settings/integrations/intercom/questions#mapping-${broken.mappingId}`}>
              Fix the mapping
            </Link>
          </p>
        ) : null}
        {q.kind === "multiple_choice" ? (
          <ul className="flex flex-wrap gap-1.5">
            {q.options.map((o) => (
              <li key={o.id} className="rounded-md border border-slate-200 bg-slate-50 px-2 py-1 text-xs text-slate-700">
                {o.text}
                {o.reasonCode ? <code className="ml-1.5 font-mono text-[11px] text-brand-700">{o.reasonCode}</code> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-slate-500">{q.kind === "rating" ? "Scale of 1 to 10" : "Open answer"}</p>
        )}
      </div>
      <div className="flex items-center gap-1">
        <Button variant="ghost" className="px-2" onClick={() => onMove(-1)} disabled={busy || index === 0} aria-label={`Move "${q.prompt}" up`}>
          ↑
        </Button>
        <Button variant="ghost" className="px-2" onClick={() => onMove(1)} disabled={busy || isLast} aria-label={`Move "${q.prompt}" down`}>
          ↓
        </Button>
        <Button variant="secondary" onClick={onEdit} disabled={busy}>
          Edit
        </Button>
        <Button variant="danger" onClick={onRemove} disabled={busy}>
          Remove
        </Button>
      </div>
    </div>
  );
}
