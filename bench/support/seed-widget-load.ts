// Seeds one connected account for the widget load test: the starter flow with every question
// mapped to an Intercom attribute, and one open cancel session per subscriber, each subscriber
// linked to a contact of its own in the emulator. Each (session, question) pair becomes one
// request body, so every request stores a distinct answer.
import { randomBytes, randomUUID } from "node:crypto";
import { asc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { cancelSessions, flows, intercomConnections, questionMappings, questionOptions, questions, subscribers } from "@/db/schema";
import type { RunningEmulator } from "@/emulators/intercom/server";
import { signUp } from "@/lib/accounts/sign-up";
import { encryptSecret } from "@/lib/crypto/encryption";
import { optionValue } from "@/lib/flows/answer-value";
import { issueSessionToken } from "@/lib/widget/session-token";

export interface AnswerSlot {
  path: string;
  body: string;
  contactId: string;
  attribute: string;
  /** What the contact's attribute must hold once the answer is delivered. */
  value: string | number;
}

const ATTRIBUTES = {
  multiple_choice: { name: "bench_cancel_reason", intercomType: "string" },
  free_text: { name: "bench_cancel_comment", intercomType: "string" },
  rating: { name: "bench_cancel_rating", intercomType: "integer" },
} as const;

const CHUNK = 1000;

export async function seedWidgetLoad(opts: { emulator: RunningEmulator; sessions: number }) {
  const db = await getDb();
  const suffix = randomBytes(4).toString("hex");
  const { account } = await signUp({
    accountName: `Widget bench ${suffix}`,
    name: "Bench Admin",
    email: `bench-${suffix}@holdfast.test`,
    password: "correct horse battery staple",
  });
  const token = opts.emulator.issueToken();
  const ws = opts.emulator.workspace;
  await db.insert(intercomConnections).values({
    accountId: account.id,
    workspaceId: ws.id,
    workspaceName: ws.name,
    region: ws.region,
    timezone: ws.timezone,
    accessTokenEnc: encryptSecret(token),
  });

  const flow = await db.query.flows.findFirst({ where: eq(flows.accountId, account.id) });
  if (!flow) throw new Error("sign-up made no starter flow");
  const qs = await db.select().from(questions).where(eq(questions.flowId, flow.id)).orderBy(asc(questions.position));
  const allOptions = await db
    .select()
    .from(questionOptions)
    .where(inArray(questionOptions.questionId, qs.map((q) => q.id)))
    .orderBy(asc(questionOptions.position));
  for (const q of qs) {
    const attr = ATTRIBUTES[q.kind];
    await createAttribute(opts.emulator, token, attr.name, attr.intercomType);
    await db.insert(questionMappings).values({ accountId: account.id, questionId: q.id, intercomAttribute: attr.name, intercomDataType: attr.intercomType });
  }

  const slots: AnswerSlot[] = [];
  for (let start = 0; start < opts.sessions; start += CHUNK) {
    const subs: (typeof subscribers.$inferInsert)[] = [];
    const sessions: (typeof cancelSessions.$inferInsert)[] = [];
    for (let i = start; i < Math.min(opts.sessions, start + CHUNK); i++) {
      const email = `subscriber-${i}@bench.example`;
      const contact = opts.emulator.store.createContact({ role: "user", email, name: `Subscriber ${i}` });
      const subscriberId = randomUUID();
      const sessionId = randomUUID();
      subs.push({
        id: subscriberId,
        accountId: account.id,
        email,
        emailKey: email,
        name: `Subscriber ${i}`,
        intercomContactId: contact.id,
        intercomMatch: "matched",
        intercomCandidates: 1,
        intercomLinkedAt: new Date(),
      });
      sessions.push({ id: sessionId, accountId: account.id, flowId: flow.id, subscriberId });
      const sessionToken = issueSessionToken(sessionId);
      for (const q of qs) {
        const options = allOptions.filter((o) => o.questionId === q.id);
        const answer =
          q.kind === "multiple_choice"
            ? { optionId: options[i % options.length]!.id }
            : q.kind === "free_text"
              ? { text: `Too expensive for a team of ${i % 50} — answer ${i}` }
              : { rating: (i % 10) + 1 };
        const value =
          q.kind === "multiple_choice" ? optionValue(options[i % options.length]!) : q.kind === "free_text" ? (answer as { text: string }).text : (i % 10) + 1;
        slots.push({
          path: `/api/widget/sessions/${sessionId}/answers`,
          body: JSON.stringify({ sessionToken, questionId: q.id, ...answer }),
          contactId: contact.id,
          attribute: ATTRIBUTES[q.kind].name,
          value,
        });
      }
    }
    await db.insert(subscribers).values(subs);
    await db.insert(cancelSessions).values(sessions);
  }
  return { accountId: account.id, slots };
}

async function createAttribute(emulator: RunningEmulator, token: string, name: string, dataType: string) {
  const res = await fetch(`${emulator.url}/data_attributes`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, Accept: "application/json", "Content-Type": "application/json", "Intercom-Version": "2.16" },
    body: JSON.stringify({ name, model: "contact", data_type: dataType, description: "Holdfast cancellation survey (bench)" }),
  });
  if (!res.ok) throw new Error(`creating ${name} in the emulator failed: ${res.status} ${await res.text()}`);
}
