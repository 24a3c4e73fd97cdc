import type { Metadata } from "next";
import { FlowEditor } from "@/components/flows/flow-editor";
import { WidgetInstallCard } from "@/components/flows/widget-install-card";
import { EmptyState } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { getFlowForEditor } from "@/lib/flows/flow-editor";
import { listQuestionMappings } from "@/lib/mappings/question-mappings";
import { getWidgetInstall } from "@/lib/widget/install";
import { deleteQuestionAction, reorderQuestionsAction, revealWidgetSecretAction, saveQuestionAction } from "./actions";

export const metadata: Metadata = { title: "Cancellation flow" };

export default async function FlowsPage() {
  const { accountId } = await requireAdmin();
  const [flow, install, mappings] = await Promise.all([getFlowForEditor(accountId), getWidgetInstall(accountId), listQuestionMappings(accountId)]);
  const brokenMappings = Object.fromEntries(
    mappings.filter((m) => m.status === "broken").map((m) => [m.questionId, { mappingId: m.id, reason: m.statusReason }]),
  );
  return (
    <>
      <PageHeader
        title="Cancellation flow"
        description="The questions subscribers answer when they cancel. Answers to mapped questions are written to Intercom."
      />
      <div className="space-y-8">
        {flow ? (
          <FlowEditor
            flowName={flow.flow.name}
            questions={flow.questions}
            brokenMappings={brokenMappings}
            actions={{ save: saveQuestionAction, remove: deleteQuestionAction, reorder: reorderQuestionsAction }}
          />
        ) : (
          <EmptyState title="No cancellation flow yet">This account has no flow. Contact support to restore the starter flow.</EmptyState>
        )}
        {install ? <WidgetInstallCard publicKey={install.publicKey} appUrl={install.appUrl} revealSecret={revealWidgetSecretAction} /> : null}
      </div>
    </>
  );
}
