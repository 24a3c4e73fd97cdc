"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { optionValue } from "@/lib/flows/answer-value";
import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import type { CreateQuestionAttributeResult } from "@/lib/mappings/create-question-attribute";
import { attributeNameFor, CUSTOM_ATTRIBUTE_CAP } from "@/lib/mappings/create-question-attribute-rules";
import type { MappableQuestion } from "@/lib/mappings/question-mappings-rules";

const typeFor: Record<MappableQuestion["kind"], string> = {
  multiple_choice: "list",
  free_text: "text",
  rating: "number (integer)",
};

/**
 * "Create in Intercom" for one question: says exactly what will be created (name, type, list
 * options), then creates it and maps the question to it in one click.
 */
export function CreateAttributeButton({
  question,
  takenNames,
  capReached,
  emphasis,
  create,
  onCreated,
}: {
  question: MappableQuestion;
  takenNames: string[];
  capReached: boolean;
  /** True when no existing attribute fits the question: the button is the main way forward. */
  emphasis: boolean;
  create: (questionId: string) => Promise<CreateQuestionAttributeResult>;
  onCreated: (attribute: IntercomDataAttribute, result: Extract<CreateQuestionAttributeResult, { ok: true }>) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = attributeNameFor(question.prompt, takenNames);
  const options = question.kind === "multiple_choice" ? [...new Set(question.options.map(optionValue))] : [];

  async function onClick() {
    setBusy(true);
    setError(null);
    try {
      const result = await create(question.id);
      if (result.ok) onCreated(result.attribute, result);
      else setError(result.error);
    } catch {
      setError("Could not reach Holdfast. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={`mt-3 rounded-md px-3 py-2 text-xs ${emphasis ? "bg-brand-50/60" : "bg-slate-50"}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-slate-600">
          {emphasis ? "No existing attribute fits these answers. " : "Or create a new attribute: "}
          <span className="text-slate-800">
            a {typeFor[question.kind]} attribute <code className="rounded bg-white px-1 font-mono">{name}</code>
          </span>
          {options.length ? <> with options {options.map((o) => `"${o}"`).join(", ")}</> : null}.
        </p>
        <Button
          variant={emphasis ? "primary" : "secondary"}
          className="px-2.5 py-1 text-xs"
          onClick={onClick}
          disabled={busy || capReached}
          title={capReached ? `Intercom allows ${CUSTOM_ATTRIBUTE_CAP} custom attributes; archive some in Intercom first.` : undefined}
        >
          {busy ? "Creating in Intercom…" : "Create in Intercom"}
        </Button>
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
