import type { Tx } from "@/db/client";
import { flows, questionOptions, questions } from "@/db/schema";

const STARTER_OPTIONS = [
  { text: "It's too expensive", reasonCode: "too_expensive" },
  { text: "It's missing a feature I need", reasonCode: "missing_feature" },
  { text: "I'm switching to another tool", reasonCode: "switching" },
  { text: "Something else", reasonCode: "other" },
];

/** Every new account starts with a working cancellation flow that admins can then edit. */
export async function createStarterFlow(tx: Tx, accountId: string) {
  const [flow] = await tx.insert(flows).values({ accountId, name: "Cancellation flow" }).returning();
  if (!flow) throw new Error("flow insert returned nothing");
  const [reason, , ] = await tx
    .insert(questions)
    .values([
      { accountId, flowId: flow.id, kind: "multiple_choice", prompt: "What's the main reason you're cancelling?", position: 1 },
      { accountId, flowId: flow.id, kind: "free_text", prompt: "What could we have done better?", position: 2 },
      { accountId, flowId: flow.id, kind: "rating", prompt: "How likely are you to recommend us to a friend?", position: 3 },
    ])
    .returning();
  if (!reason) throw new Error("question insert returned nothing");
  await tx
    .insert(questionOptions)
    .values(STARTER_OPTIONS.map((o, i) => ({ accountId, questionId: reason.id, ...o, position: i + 1 })));
  return flow;
}
