import type { Metadata } from "next";
import Link from "next/link";
import { QuestionMappingsEditor } from "@/components/flows/question-mappings-editor";
import { ConnectIntercomLink } from "@/components/integrations/connect-link";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState, Notice } from "@/components/ui/notice";
import { requireAdmin } from "@/lib/auth/session";
import { countCustomAttributes } from "@/lib/mappings/create-question-attribute-rules";
import { listMappableQuestions, listQuestionMappings, loadIntercomAttributes, pickableAttributes } from "@/lib/mappings/question-mappings";
import { countOf } from "@/lib/text/plural";
import { checkQuestionMappingsAction, createQuestionAttributeAction, saveQuestionMappingsAction } from "./actions";

export const metadata: Metadata = { title: "Question mappings" };

export default async function QuestionMappingsPage() {
  const { accountId } = await requireAdmin();
  const [questions, mappings, loaded] = await Promise.all([
    listMappableQuestions(accountId),
    listQuestionMappings(accountId),
    loadIntercomAttributes(accountId),
  ]);

  if (loaded.state === "not_connected") {
    return (
      <EmptyState title="Intercom is not connected" action={<ConnectIntercomLink />}>
        Connect your Intercom workspace to write cancellation answers to Intercom contact attributes.
        {mappings.length > 0
          ? ` Your ${countOf(mappings.length, "saved mapping")} ${mappings.length === 1 ? "is kept and applies" : "are kept and apply"} again when you reconnect.`
          : ""}
      </EmptyState>
    );
  }
  if (loaded.state === "reconnect_required") {
    // The layout above already explains and offers the reconnect button.
    return <EmptyState title="Question mappings are paused">Reconnect Intercom to edit mappings. Saved mappings are kept.</EmptyState>;
  }
  if (questions.length === 0) {
    return (
      <EmptyState title="Your cancellation flow has no questions" action={<ButtonLink href="/flows">Edit the flow</ButtonLink>}>
        Add questions to the flow first, then choose where their answers go in Intercom.
      </EmptyState>
    );
  }

  return (
    <div className="space-y-6">
      {loaded.state === "error" ? (
        <Notice tone="error" title="Could not load attributes from Intercom">
          {loaded.message} Reload the page to try again; saved mappings are unchanged.
        </Notice>
      ) : null}
      <Card>
        <CardHeader
          title="Question mappings"
          description={
            <>
              Each answer is written to the chosen custom attribute on the subscriber&apos;s Intercom contact. Multiple-choice answers send the
              option&apos;s reason code (or its text); ratings send a number. Edit questions in the{" "}
              <Link className="font-medium text-brand-600 hover:text-brand-700" href="/flows">
                cancellation flow
              </Link>
              .
            </>
          }
        />
        <CardBody>
          <QuestionMappingsEditor
            questions={questions}
            attributes={loaded.state === "ok" ? pickableAttributes(loaded.attributes) : []}
            attributesAvailable={loaded.state === "ok"}
            savedMappings={mappings.map((m) => ({
              id: m.id,
              questionId: m.questionId,
              intercomAttribute: m.intercomAttribute,
              status: m.status,
              statusReason: m.statusReason,
            }))}
            takenNames={loaded.state === "ok" ? loaded.attributes.flatMap((a) => [a.name, a.full_name]) : []}
            customAttributeCount={loaded.state === "ok" ? countCustomAttributes(loaded.attributes) : null}
            save={saveQuestionMappingsAction}
            create={createQuestionAttributeAction}
            checkHealth={checkQuestionMappingsAction}
          />
        </CardBody>
      </Card>
    </div>
  );
}
