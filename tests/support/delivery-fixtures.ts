import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { answerDeliveries, subscribers } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { decryptSecret } from "@/lib/crypto/encryption";
import { saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { signedIdentity } from "./widget-identity";
import { recordWidgetAnswer } from "@/lib/widget/record-answer";
import { startWidgetSession } from "@/lib/widget/start-session";

type Account = { id: string; publicKey: string; widgetSecretEnc: string };
type DeliveryPatch = Partial<typeof answerDeliveries.$inferInsert>;

/** Maps the starter flow's free-text question to the emulator's `cancel_comment` attribute. */
export async function mapCommentQuestion(account: Account): Promise<string> {
  const secret = decryptSecret(account.widgetSecretEnc);
  const email = `mapping-probe@${account.id.slice(0, 8)}.test`;
  const start = await startWidgetSession({ publicKey: account.publicKey, email, ...signedIdentity(secret, { email }) });
  if (!start.ok) throw new Error(start.error);
  const question = start.flow.questions.find((q) => q.kind === "free_text");
  if (!question) throw new Error("starter flow has no free-text question");
  const saved = await saveQuestionMappings(account.id, [{ questionId: question.id, intercomAttribute: "cancel_comment" }]);
  if (!saved.ok) throw new Error(saved.error);
  return question.id;
}

/**
 * A subscriber (linked to a new emulator contact) who answered the mapped question through the
 * widget, so the delivery row is the one the app itself writes; `patch` then puts it in the state
 * a test needs, as earlier attempts would have left it.
 */
export async function seedDelivery(
  account: Account,
  emulator: RunningEmulator,
  questionId: string,
  opts: { email: string; text: string; patch?: DeliveryPatch },
) {
  const secret = decryptSecret(account.widgetSecretEnc);
  const start = await startWidgetSession({
    publicKey: account.publicKey,
    email: opts.email,
    ...signedIdentity(secret, { email: opts.email }),
  });
  if (!start.ok) throw new Error(start.error);
  const contact = emulator.store.createContact({ email: opts.email, role: "user" });
  const db = await getDb();
  await db
    .update(subscribers)
    .set({ intercomContactId: contact.id, intercomMatch: "matched" })
    .where(and(eq(subscribers.accountId, account.id), eq(subscribers.emailKey, opts.email.toLowerCase())));
  const answer = await recordWidgetAnswer(start.sessionId, { sessionToken: start.sessionToken, questionId, text: opts.text });
  if (!answer.ok || !answer.deliveryId) throw new Error(answer.ok ? "question is not mapped" : answer.error);
  if (opts.patch) await db.update(answerDeliveries).set(opts.patch).where(eq(answerDeliveries.id, answer.deliveryId));
  return { deliveryId: answer.deliveryId, contactId: contact.id };
}
