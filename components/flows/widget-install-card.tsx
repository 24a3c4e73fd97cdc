"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import type { EditorResult } from "@/lib/flows/flow-editor";
import { CopyButton } from "./copy-button";

function Snippet({ title, code }: { title: string; code: string }) {
  return (
    <div>
      <div className="mb-1.5 flex items-center justify-between">
        <p className="text-sm font-medium text-slate-700">{title}</p>
        <CopyButton text={code} />
      </div>
      <pre className="overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs leading-relaxed text-slate-100">
        <code>{code}</code>
      </pre>
    </div>
  );
}

export function WidgetInstallCard({
  publicKey,
  appUrl,
  revealSecret,
}: {
  publicKey: string;
  appUrl: string;
  revealSecret: () => Promise<EditorResult<{ secret: string }>>;
}) {
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function toggle() {
    if (secret) return setSecret(null);
    setLoading(true);
    setError(null);
    const result = await revealSecret();
    setLoading(false);
    if (result.ok) setSecret(result.secret);
    else setError(result.error);
  }

  const embed = `<script src="${appUrl}/widget.js" async></script>
<script>
  // On your "Cancel subscription" button. email, externalId, issuedAt and signature come from YOUR server.
  function startCancellation() {
    Holdfast.open({
      publicKey: "${publicKey}",
      email: currentUser.email,
      name: currentUser.name,            // optional
      externalId: currentUser.id,        // optional; if sent, it must be part of the signature
      issuedAt: currentUser.holdfastIssuedAt,
      signature: currentUser.holdfastSignature,
      onComplete: function (outcome) {}, // optional: "cancelled" or "retained"
    });
  }
</script>`;

  const signing = `// Node.js, on your server: never ship the widget secret to the browser.
import { createHmac } from "node:crypto";

// When you render the page: a signature is accepted for 24 hours after issuedAt.
function holdfastIdentity(email, externalId) {
  const issuedAt = Math.floor(Date.now() / 1000); // seconds, not milliseconds
  const signed = \`\${issuedAt}:\${email.trim().toLowerCase()}\`;
  const payload = externalId ? \`\${signed}:\${externalId}\` : signed;
  const signature = createHmac("sha256", process.env.HOLDFAST_WIDGET_SECRET).update(payload, "utf8").digest("hex");
  return { issuedAt, signature };
}`;

  return (
    <Card>
      <CardHeader
        title="Install the cancellation widget"
        description="Add the script to your app and open the flow from your cancel button. Your server signs who the subscriber is."
      />
      <CardBody className="space-y-6">
        <dl className="grid gap-4 sm:grid-cols-2">
          <div>
            <dt className="text-sm font-medium text-slate-700">Public key</dt>
            <dd className="mt-1.5 flex items-center gap-2">
              <code className="min-w-0 flex-1 truncate rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-sm">{publicKey}</code>
              <CopyButton text={publicKey} />
            </dd>
            <p className="mt-1 text-xs text-slate-500">Safe to put in your web pages.</p>
          </div>
          <div>
            <dt className="text-sm font-medium text-slate-700">Widget secret</dt>
            <dd className="mt-1.5 flex items-center gap-2">
              <code className="min-w-0 flex-1 truncate rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-sm" aria-live="polite">
                {secret ?? "•".repeat(32)}
              </code>
              <Button type="button" variant="secondary" className="px-2.5 py-1 text-xs" onClick={toggle} disabled={loading}>
                {loading ? "Loading…" : secret ? "Hide" : "Reveal"}
              </Button>
              {secret ? <CopyButton text={secret} /> : null}
            </dd>
            <p className="mt-1 text-xs text-slate-500">Server-side only. Anyone with it can start flows as any subscriber.</p>
          </div>
        </dl>
        {error ? <Notice tone="error">{error}</Notice> : null}
        <Snippet title="1. Embed the widget" code={embed} />
        <Snippet title="2. Sign the subscriber on your server" code={signing} />
        <div className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-600">
          <p className="font-medium text-slate-800">The signed string</p>
          <p className="mt-1">
            The Unix time of signing in seconds, a colon and the email, trimmed and lowercased —{" "}
            <code className="font-mono text-xs">1764806400:dana@example.com</code> — or, when you also send an{" "}
            <code className="font-mono text-xs">externalId</code>, then a colon and the id —{" "}
            <code className="font-mono text-xs">1764806400:dana@example.com:cus_42</code>. The signature is the lowercase hex HMAC-SHA256 of that
            string with the widget secret as key. Requests with a missing or wrong signature, or signed more than 24 hours ago, are refused, so a
            captured link stops working.
          </p>
        </div>
      </CardBody>
    </Card>
  );
}
