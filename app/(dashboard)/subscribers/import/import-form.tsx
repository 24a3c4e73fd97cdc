"use client";

import { useState, type ChangeEvent, type FormEvent } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { importSizeProblem } from "@/lib/subscribers/import-limits";
import { importSubscribersAction, type ImportActionResult } from "./actions";

const EXAMPLE = `email,name,plan,status,mrr,external_id,subscribed_at
dana@example.com,Dana Scully,Pro,active,49.00,cus_1001,2024-05-01
"fox@example.com","Mulder, Fox",Starter,past_due,19.00,cus_1002,2023-11-14`;

const ERRORS_SHOWN = 100;

export function ImportForm() {
  const [csv, setCsv] = useState("");
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<ImportActionResult | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    // Checked here too, so an oversize file is explained without being uploaded first.
    const tooLarge = importSizeProblem(csv);
    if (tooLarge) {
      setResult({ ok: false, error: tooLarge });
      return;
    }
    setPending(true);
    setResult(null);
    try {
      const form = new FormData();
      form.set("csv", new Blob([csv], { type: "text/csv" }), "import.csv");
      setResult(await importSubscribersAction(form));
    } catch {
      setResult({ ok: false, error: "The import could not be sent. Check your connection, or split a very large file, and try again." });
    } finally {
      setPending(false);
    }
  }

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (file) setCsv(await file.text());
  }

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <CardHeader title="CSV data" description="The first row names the columns. Only email is required." />
        <CardBody>
          <form onSubmit={onSubmit} className="space-y-4">
            <label className="block space-y-1.5">
              <span className="text-sm font-medium text-slate-700">Paste CSV</span>
              <textarea
                name="csv"
                value={csv}
                onChange={(e) => setCsv(e.target.value)}
                rows={14}
                spellCheck={false}
                placeholder={EXAMPLE}
                className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
              />
            </label>
            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" disabled={pending || csv.trim() === ""}>
                {pending ? "Importing…" : "Import subscribers"}
              </Button>
              <label className="cursor-pointer text-sm font-medium text-brand-600 hover:text-brand-700">
                or choose a .csv file
                <input type="file" accept=".csv,text/csv,text/plain" className="sr-only" onChange={onFile} />
              </label>
              <button type="button" className="ml-auto text-sm text-slate-500 hover:text-slate-800" onClick={() => setCsv(EXAMPLE)}>
                Use the example
              </button>
            </div>
          </form>
          {result ? <div className="mt-6"><ImportSummary result={result} /></div> : null}
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Columns" />
        <CardBody className="space-y-3 text-sm text-slate-600">
          <dl className="space-y-2">
            <Column name="email" note="Required. Matched ignoring case and spaces; dana+billing@ is a different subscriber from dana@." />
            <Column name="name" />
            <Column name="plan" />
            <Column name="status" note="e.g. active, trialing, past_due, canceled." />
            <Column name="mrr" note="Monthly amount, e.g. 49.00." />
            <Column name="external_id" note="Your billing system's customer id." />
            <Column name="subscribed_at" note="ISO date, e.g. 2024-05-01." />
          </dl>
          <p className="text-xs text-slate-500">Empty cells leave existing values unchanged. Rows with errors are skipped and listed; the rest are imported.</p>
        </CardBody>
      </Card>
    </div>
  );
}

function Column({ name, note }: { name: string; note?: string }) {
  return (
    <div>
      <dt className="font-mono text-xs font-semibold text-slate-800">{name}</dt>
      {note ? <dd className="text-xs text-slate-500">{note}</dd> : null}
    </div>
  );
}

function ImportSummary({ result }: { result: ImportActionResult }) {
  if (!result.ok) return <Notice tone="error">{result.error}</Notice>;
  const imported = result.created + result.updated;
  return (
    <div className="space-y-4">
      <Notice tone={imported === 0 ? "error" : result.errors.length ? "warning" : "success"} title={summaryTitle(result)}>
        {imported > 0 ? (
          <ButtonLink href="/subscribers" variant="secondary" className="mt-2">
            View subscribers
          </ButtonLink>
        ) : null}
      </Notice>
      {result.ignoredColumns.length ? (
        <Notice tone="info">
          Ignored unknown column{result.ignoredColumns.length > 1 ? "s" : ""}: {result.ignoredColumns.join(", ")}.
        </Notice>
      ) : null}
      {result.errors.length ? (
        <div className="overflow-hidden rounded-lg border border-slate-200">
          <table className="w-full text-left text-sm">
            <caption className="bg-slate-50 px-4 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              Rows not imported
            </caption>
            <thead className="text-xs text-slate-500">
              <tr>
                <th scope="col" className="w-20 px-4 py-2">Line</th>
                <th scope="col" className="px-4 py-2">Problem</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {result.errors.slice(0, ERRORS_SHOWN).map((err) => (
                <tr key={`${err.line}-${err.message}`}>
                  <td className="px-4 py-2 font-mono text-xs text-slate-600">{err.line}</td>
                  <td className="px-4 py-2 text-slate-700">{err.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.errors.length > ERRORS_SHOWN ? (
            <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500">
              …and {result.errors.length - ERRORS_SHOWN} more. Fix the rows above and import the file again.
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function summaryTitle(result: Extract<ImportActionResult, { ok: true }>): string {
  if (result.created + result.updated === 0) return "Nothing was imported";
  const parts = [`${result.created} created`, `${result.updated} updated`];
  if (result.errors.length) parts.push(`${result.errors.length} not imported`);
  return `Import finished: ${parts.join(" · ")}`;
}
