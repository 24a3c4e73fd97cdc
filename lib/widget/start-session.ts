import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { accounts, cancelSessions, flows, subscribers } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/encryption";
import { loadQuestionsWithOptions } from "@/lib/flows/questions-with-options";
import { emailKey } from "@/lib/matching/email";
import { identityAgeProblem, verifyIdentitySignature } from "./identity";
import { describeIssues, fail, type WidgetFailure } from "./result";
import { issueSessionToken } from "./session-token";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "./storable-text";

const storable = (field: string) => [isStorableText, `${field} ${UNSTORABLE_TEXT_MESSAGE}`] as const;

export const startSessionSchema = z.object({
  publicKey: z
    .string({ error: "publicKey is required" })
    .trim()
    .min(1, "publicKey is required")
    .max(100)
    .refine(...storable("publicKey")),
  email: z
    .string({ error: "email must be a valid email address" })
    .trim()
    .max(254, "email is too long")
    .pipe(z.email({ error: "email must be a valid email address" })),
  name: z.string().trim().max(200).refine(...storable("name")).optional(),
  externalId: z.string().trim().min(1).max(200).refine(...storable("externalId")).optional(),
  // Query strings carry it as text; the signed payload uses its decimal digits.
  issuedAt: z.coerce
    .number({ error: "issuedAt must be the Unix time in seconds at which your server signed the identity" })
    .int("issuedAt must be a whole number of seconds")
    .positive("issuedAt must be the Unix time in seconds at which your server signed the identity"),
  signature: z.string({ error: "signature is required" }).trim().min(1, "signature is required").max(200),
});

export interface WidgetQuestion {
  id: string;
  kind: "multiple_choice" | "free_text" | "rating";
  prompt: string;
  options: { id: string; text: string }[];
}

export type StartSessionResult =
  | { ok: true; sessionId: string; sessionToken: string; flow: { id: string; name: string; questions: WidgetQuestion[] } }
  | WidgetFailure;

/**
 * Checks the customer-signed identity, records the subscriber (by email key) and opens a cancel
 * session on the account's active flow.
 */
export async function startWidgetSession(input: unknown): Promise<StartSessionResult> {
  const parsed = startSessionSchema.safeParse(input);
  if (!parsed.success) return fail(400, describeIssues(parsed.error));
  const { publicKey, email, name, externalId, issuedAt, signature } = parsed.data;
  const key = emailKey(email);
  if (!key) return fail(400, "email: must be a valid email address");

  const db = await getDb();
  const account = await db.query.accounts.findFirst({ where: eq(accounts.publicKey, publicKey) });
  if (!account) return fail(401, "Unknown publicKey: copy it again from Holdfast > Cancellation flow > Install.");
  if (!verifyIdentitySignature(decryptSecret(account.widgetSecretEnc), { email, externalId, issuedAt }, signature)) {
    return fail(401, "Invalid signature: sign the subscriber identity on your server with the widget secret.");
  }
  const stale = identityAgeProblem(issuedAt, Math.floor(Date.now() / 1000));
  if (stale) return fail(401, stale);

  const flow = await db.query.flows.findFirst({
    where: and(eq(flows.accountId, account.id), eq(flows.isActive, true)),
    orderBy: asc(flows.createdAt),
  });
  if (!flow) return fail(404, "This account has no active cancellation flow.");

  const session = await db.transaction(async (tx) => {
    const [subscriber] = await tx
      .insert(subscribers)
      .values({ accountId: account.id, email, emailKey: key, name: name || null, externalId: externalId ?? null })
      .onConflictDoUpdate({
        target: [subscribers.accountId, subscribers.emailKey],
        set: {
          // Only what the widget was told overwrites what we know.
          name: name ? name : sql`${subscribers.name}`,
          externalId: externalId ? externalId : sql`${subscribers.externalId}`,
          updatedAt: new Date(),
        },
      })
      .returning({ id: subscribers.id });
    if (!subscriber) throw new Error("subscriber upsert returned nothing");
    const [created] = await tx
      .insert(cancelSessions)
      .values({ accountId: account.id, flowId: flow.id, subscriberId: subscriber.id })
      .returning({ id: cancelSessions.id });
    if (!created) throw new Error("session insert returned nothing");
    return created;
  });

  return {
    ok: true,
    sessionId: session.id,
    sessionToken: issueSessionToken(session.id),
    flow: { id: flow.id, name: flow.name, questions: await loadWidgetQuestions(account.id, flow.id) },
  };
}

async function loadWidgetQuestions(accountId: string, flowId: string): Promise<WidgetQuestion[]> {
  return (await loadQuestionsWithOptions(accountId, flowId)).map((q) => ({
    id: q.id,
    kind: q.kind,
    prompt: q.prompt,
    options: q.options.map((o) => ({ id: o.id, text: o.text })),
  }));
}
