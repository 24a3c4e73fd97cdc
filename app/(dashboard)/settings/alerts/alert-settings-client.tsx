"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { CopyButton } from "@/components/flows/copy-button";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import type { AlertSettings } from "@/lib/alerts/alert-settings";
import { saveAlertSettingsAction, sendTestAlertAction } from "./actions";

type Message = { tone: "success" | "error"; title: string; text?: string } | null;
const UNREACHABLE = "Could not reach Holdfast. Check your connection and try again.";

export function AlertSettingsClient({ settings }: { settings: AlertSettings }) {
  const router = useRouter();
  const [webhookUrl, setWebhookUrl] = useState(settings.webhookUrl ?? "");
  const [failureRatePct, setFailureRatePct] = useState(String(settings.failureRatePct));
  const [saving, startSaving] = useTransition();
  const [testing, startTesting] = useTransition();
  const [saved, setSaved] = useState<Message>(null);
  const [tested, setTested] = useState<Message>(null);
  const [showSecret, setShowSecret] = useState(false);
  const dirty = webhookUrl.trim() !== (settings.webhookUrl ?? "") || failureRatePct !== String(settings.failureRatePct);

  function save(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    setTested(null);
    startSaving(async () => {
      try {
        const result = await saveAlertSettingsAction({ webhookUrl, failureRatePct });
        if (!result.ok) {
          setSaved({ tone: "error", title: "Not saved", text: result.error });
          return;
        }
        const firstSecret = !settings.signingSecret && result.settings.signingSecret;
        setSaved({
          tone: "success",
          title: "Alert settings saved",
          text: firstSecret ? "A signing secret was created for your webhook: copy it into your receiver." : undefined,
        });
        if (firstSecret) setShowSecret(true);
        router.refresh();
      } catch {
        setSaved({ tone: "error", title: "Not saved", text: UNREACHABLE });
      }
    });
  }

  function sendTest() {
    setTested(null);
    startTesting(async () => {
      try {
        const result = await sendTestAlertAction();
        setTested(
          result.ok
            ? { tone: "success", title: "Test alert delivered", text: `Your receiver answered HTTP ${result.status}.` }
            : { tone: "error", title: "Test alert not delivered", text: result.error },
        );
      } catch {
        setTested({ tone: "error", title: "Test alert not sent", text: UNREACHABLE });
      }
    });
  }

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title="Alert settings"
          description="When to warn about failing answers, and where else to send alerts besides this app."
        />
        <CardBody>
          <form onSubmit={save} className="space-y-5">
            <Field
              label="Failure-rate threshold (%)"
              hint="Alert when at least this share of the answers sent to Intercom in the last hour failed, need attention or are unconfirmed (counted once at least 5 were sent)."
            >
              <Input
                type="number"
                name="failureRatePct"
                min={1}
                max={100}
                step={1}
                required
                value={failureRatePct}
                onChange={(e) => setFailureRatePct(e.target.value)}
                className="max-w-[8rem]"
              />
            </Field>
            <Field
              label="Webhook URL (optional)"
              hint="Holdfast POSTs each new alert here as signed JSON. Leave empty to show alerts in the app only."
            >
              <Input
                type="url"
                name="webhookUrl"
                inputMode="url"
                placeholder="https://example.com/hooks/holdfast"
                value={webhookUrl}
                onChange={(e) => setWebhookUrl(e.target.value)}
              />
            </Field>
            {saved ? (
              <Notice tone={saved.tone} title={saved.title}>
                {saved.text}
              </Notice>
            ) : null}
            <Button type="submit" disabled={saving || !dirty}>
              {saving ? "Saving…" : "Save"}
            </Button>
          </form>
        </CardBody>
      </Card>

      {settings.webhookUrl && settings.signingSecret ? (
        <Card>
          <CardHeader
            title="Webhook signing"
            description="Verify every request with this secret before trusting it."
            actions={
              <Button variant="secondary" onClick={sendTest} disabled={testing || dirty} title={dirty ? "Save your changes first" : undefined}>
                {testing ? "Sending…" : "Send test alert"}
              </Button>
            }
          />
          <CardBody className="space-y-4 text-sm text-slate-600">
            <div className="flex flex-wrap items-center gap-2">
              <code className="min-w-0 flex-1 break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800">
                {showSecret ? settings.signingSecret : `${settings.signingSecret.slice(0, 10)}${"•".repeat(24)}`}
              </code>
              <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={() => setShowSecret((s) => !s)}>
                {showSecret ? "Hide" : "Reveal"}
              </Button>
              <CopyButton text={settings.signingSecret} />
            </div>
            <p>
              Each request carries <code className="font-mono text-xs">Holdfast-Signature: t=&lt;unix time&gt;,v1=&lt;hex&gt;</code>.
              Compute HMAC-SHA256 of <code className="font-mono text-xs">&lt;t&gt;.&lt;raw request body&gt;</code> with this secret,
              compare it to <code className="font-mono text-xs">v1</code> in constant time, and reject requests whose{" "}
              <code className="font-mono text-xs">t</code> is more than 5 minutes old. Answer with any 2xx within 5 seconds.
            </p>
            {tested ? (
              <Notice tone={tested.tone} title={tested.title}>
                {tested.text}
              </Notice>
            ) : null}
          </CardBody>
        </Card>
      ) : null}
    </div>
  );
}
