import { and, eq, isNull, ne } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { alerts, answerDeliveries, intercomConnections, propertyMappings, questionMappings, subscriberPropertyValues, subscribers } from "@/db/schema";
import { seededContactEmail, type RunningEmulator } from "@/emulators/intercom/server";
import { decryptSecret } from "@/lib/crypto/encryption";
import { getFlowForEditor } from "@/lib/flows/flow-editor";
import { drainDueDeliveries } from "@/lib/forwarding/drain";
import { checkMappingHealth } from "@/lib/mappings/mapping-health";
import { savePropertyMappings } from "@/lib/mappings/property-mappings";
import { saveQuestionMappings } from "@/lib/mappings/question-mappings";
import { emailKey } from "@/lib/matching/email";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";
import { runScheduledSyncs } from "@/lib/sync/run-scheduled-syncs";
import { signedIdentity } from "../support/widget-identity";
import { recordWidgetAnswer } from "@/lib/widget/record-answer";
import { startWidgetSession } from "@/lib/widget/start-session";
import { setupTestDb } from "../support/db";
import { connectAccountToEmulator, createTestAccount, startTestEmulator, useEmulatorHosts } from "../support/fixtures";
import { callEmulator } from "../support/intercom-emulator";

type DataType = "string" | "integer" | "float" | "boolean" | "date";

describe("mapping health: saved mappings vs Intercom's current attributes", () => {
  const db = setupTestDb();
  const emulators: RunningEmulator[] = [];

  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
  });

  /** An account on its own workspace with three property mappings and three question mappings. */
  async function mappedAccount() {
    const emulator = await startTestEmulator({ contactCount: 3 });
    emulators.push(emulator);
    useEmulatorHosts(emulator);
    const { account } = await createTestAccount("Health");
    const connection = await connectAccountToEmulator(account.id, emulator);
    const props = await savePropertyMappings(account.id, [
      { intercomAttribute: "custom_attributes.plan_name", newProperty: { name: "Plan" } },
      { intercomAttribute: "custom_attributes.seats", newProperty: { name: "Seats" } },
      { intercomAttribute: "custom_attributes.renewal_date", newProperty: { name: "Renewal" } },
    ]);
    if (!props.ok) throw new Error(JSON.stringify(props));
    const flow = await getFlowForEditor(account.id);
    const [choice, free, rating] = flow!.questions;
    const saved = await saveQuestionMappings(account.id, [
      { questionId: choice!.id, intercomAttribute: "cancel_reason_code" },
      { questionId: free!.id, intercomAttribute: "cancel_comment" },
      { questionId: rating!.id, intercomAttribute: "cancel_rating" },
    ]);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    return { emulator, account, connection };
  }

  // Intercom's API can neither delete an attribute nor change its type; both still happen (an
  // attribute removed and recreated under the same name), so the test edits the emulator's store.
  function deleteAttribute(emulator: RunningEmulator, name: string) {
    const list = emulator.store.listCustomAttributes();
    const index = list.findIndex((a) => a.model === "contact" && a.name === name);
    const [removed] = list.splice(index, 1);
    return removed!;
  }
  function retypeAttribute(emulator: RunningEmulator, name: string, type: DataType) {
    const attribute = emulator.store.customAttribute(name)!;
    const before = attribute.data_type;
    attribute.data_type = type;
    return () => void (attribute.data_type = before);
  }

  async function propertyRow(accountId: string, attribute: string) {
    const [row] = await db()
      .select()
      .from(propertyMappings)
      .where(and(eq(propertyMappings.accountId, accountId), eq(propertyMappings.intercomAttribute, attribute)));
    return row!;
  }
  async function questionRow(accountId: string, attribute: string) {
    const [row] = await db()
      .select()
      .from(questionMappings)
      .where(and(eq(questionMappings.accountId, accountId), eq(questionMappings.intercomAttribute, attribute)));
    return row!;
  }
  async function openAlerts(accountId: string) {
    return db()
      .select()
      .from(alerts)
      .where(and(eq(alerts.accountId, accountId), isNull(alerts.resolvedAt)));
  }

  it("leaves healthy mappings alone", async () => {
    const { account } = await mappedAccount();
    expect(await checkMappingHealth(account.id)).toEqual({ ok: true, checked: 6, broken: [], newlyBroken: 0, recovered: 0 });
    expect(await openAlerts(account.id)).toEqual([]);
  });

  it("marks archived attributes broken in both directions, alerts once with a fix link, and recovers when unarchived", async () => {
    const { emulator, account } = await mappedAccount();
    emulator.store.archiveAttribute("plan_name");
    emulator.store.archiveAttribute("cancel_comment");

    const result = await checkMappingHealth(account.id);
    expect(result).toMatchObject({ ok: true, newlyBroken: 2, recovered: 0 });
    const property = await propertyRow(account.id, "custom_attributes.plan_name");
    const question = await questionRow(account.id, "cancel_comment");
    expect(property).toMatchObject({ status: "broken", statusReason: "archived in Intercom" });
    expect(question).toMatchObject({ status: "broken", statusReason: "archived in Intercom" });
    expect(question.brokenAt).toBeInstanceOf(Date);
    expect((await propertyRow(account.id, "custom_attributes.seats")).status).toBe("ok");

    // A second run (the next cron tick) neither duplicates the alerts nor moves brokenAt.
    expect(await checkMappingHealth(account.id)).toMatchObject({ ok: true, newlyBroken: 0 });
    const open = await openAlerts(account.id);
    expect(open.map((a) => [a.kind, a.subject, a.fixUrl]).sort()).toEqual(
      [
        ["mapping_broken", `property-mapping:${property.id}`, `/settings/integrations/intercom/properties#mapping-${property.id}`],
        ["mapping_broken", `question-mapping:${question.id}`, `/settings/integrations/intercom/questions#mapping-${question.id}`],
      ].sort(),
    );
    expect(open.find((a) => a.subject.startsWith("question"))!.message).toMatch(/"cancel_comment": archived in Intercom/);
    expect((await questionRow(account.id, "cancel_comment")).brokenAt).toEqual(question.brokenAt);

    await db().update(propertyMappings).set({ backfilledAt: new Date() }).where(eq(propertyMappings.accountId, account.id));
    emulator.store.archiveAttribute("plan_name", false);
    emulator.store.archiveAttribute("cancel_comment", false);
    expect(await checkMappingHealth(account.id)).toMatchObject({ ok: true, broken: [], recovered: 2 });
    expect(await propertyRow(account.id, "custom_attributes.plan_name")).toMatchObject({ status: "ok", statusReason: null });
    expect(await questionRow(account.id, "cancel_comment")).toMatchObject({ status: "ok", statusReason: null, brokenAt: null });
    expect(await openAlerts(account.id)).toEqual([]);
    // The recovered property mapping missed changes while skipped: the next sync backfills it again.
    expect((await propertyRow(account.id, "custom_attributes.plan_name")).backfilledAt).toBeNull();
    expect((await propertyRow(account.id, "custom_attributes.seats")).backfilledAt).toBeInstanceOf(Date);
  });

  it("tells deleted attributes from archived ones, and recovers when an attribute of that name and type is back", async () => {
    const { emulator, account } = await mappedAccount();
    const seats = deleteAttribute(emulator, "seats");
    const rating = deleteAttribute(emulator, "cancel_rating");

    const result = await checkMappingHealth(account.id);
    if (!result.ok) throw new Error(result.error);
    expect(result.broken.map((b) => [b.direction, b.attribute, b.reason]).sort()).toEqual([
      ["property", "custom_attributes.seats", "deleted from Intercom"],
      ["question", "cancel_rating", "deleted from Intercom"],
    ]);
    expect(await questionRow(account.id, "cancel_rating")).toMatchObject({ status: "broken", statusReason: "deleted from Intercom" });

    const { id: _seatsId, ...seatsShape } = seats;
    const { id: _ratingId, ...ratingShape } = rating;
    emulator.store.addCustomAttribute(seatsShape);
    emulator.store.addCustomAttribute(ratingShape);
    expect(await checkMappingHealth(account.id)).toMatchObject({ ok: true, broken: [], recovered: 2 });
  });

  it("reports a changed data type with both types, and recovers when it is back", async () => {
    const { emulator, account } = await mappedAccount();
    const restoreRenewal = retypeAttribute(emulator, "renewal_date", "string");
    const restoreRating = retypeAttribute(emulator, "cancel_rating", "float");

    const result = await checkMappingHealth(account.id);
    if (!result.ok) throw new Error(result.error);
    expect(result.broken.map((b) => [b.attribute, b.reason]).sort()).toEqual([
      ["cancel_rating", "type changed from integer to float"],
      ["custom_attributes.renewal_date", "type changed from date to string"],
    ]);
    expect(await propertyRow(account.id, "custom_attributes.renewal_date")).toMatchObject({
      status: "broken",
      statusReason: "type changed from date to string",
    });

    restoreRenewal();
    restoreRating();
    expect(await checkMappingHealth(account.id)).toMatchObject({ ok: true, broken: [], recovered: 2 });
  });

  it("breaks a question mapping when its list attribute drops an answer value, and keeps options Intercom added", async () => {
    const { emulator, account } = await mappedAccount();
    const attribute = emulator.store.customAttribute("cancel_reason_code")!;
    const token = emulator.issueToken();
    const setOptions = (values: string[]) =>
      callEmulator(emulator, `/data_attributes/${attribute.id}`, {
        method: "PUT",
        token,
        body: { options: values.map((value) => ({ value })) },
      });

    expect((await setOptions(["too_expensive", "missing_feature", "other"])).status).toBe(200);
    await checkMappingHealth(account.id);
    const broken = await questionRow(account.id, "cancel_reason_code");
    expect(broken.status).toBe("broken");
    expect(broken.statusReason).toMatch(/^options changed in Intercom: .*"switching"/);

    const fixed = ["too_expensive", "missing_feature", "switching", "other", "company_closed"];
    expect((await setOptions(fixed)).status).toBe(200);
    expect(await checkMappingHealth(account.id)).toMatchObject({ ok: true, recovered: 1 });
    // The flow editor checks reason codes against the stored options: they follow Intercom.
    expect(await questionRow(account.id, "cancel_reason_code")).toMatchObject({ status: "ok", intercomOptions: fixed });
  });

  it("makes the sync skip a broken property mapping while the others keep syncing", async () => {
    const { emulator, account } = await mappedAccount();
    const email = seededContactEmail(2)!;
    const contact = emulator.store.findContactsByEmail(email)[0]!.contact;
    expect(contact.custom_attributes.plan_name).toBeDefined();
    const [subscriber] = await db()
      .insert(subscribers)
      .values({ accountId: account.id, email, emailKey: emailKey(email)! })
      .returning();

    emulator.store.archiveAttribute("plan_name");
    await checkMappingHealth(account.id);
    const outcome = await runIntercomSync({ accountId: account.id, trigger: "manual", mode: "full", budgetMs: 20_000 });
    expect(outcome.status).toBe("succeeded");

    const plan = await propertyRow(account.id, "custom_attributes.plan_name");
    const seats = await propertyRow(account.id, "custom_attributes.seats");
    const values = await db()
      .select()
      .from(subscriberPropertyValues)
      .where(eq(subscriberPropertyValues.subscriberId, subscriber!.id));
    expect(values.map((v) => v.propertyId)).toContain(seats.propertyId);
    expect(values.map((v) => v.propertyId)).not.toContain(plan.propertyId);
  });

  it("checks one account's mappings only, even where another account maps attributes of the same name", async () => {
    const other = await mappedAccount();
    const mine = await mappedAccount();
    mine.emulator.store.archiveAttribute("seats");
    await checkMappingHealth(mine.account.id);
    expect((await propertyRow(mine.account.id, "custom_attributes.seats")).status).toBe("broken");
    expect((await propertyRow(other.account.id, "custom_attributes.seats")).status).toBe("ok");
    expect(await openAlerts(other.account.id)).toEqual([]);
  });

  it("runs on each scheduled tick, before the sync", async () => {
    const { emulator, account, connection } = await mappedAccount();
    // The app talks to one Intercom host at a time: other accounts' workspaces live in other emulators.
    await db().update(intercomConnections).set({ status: "disconnected" }).where(ne(intercomConnections.id, connection.id));
    emulator.store.archiveAttribute("seats");
    const summary = await runScheduledSyncs({ budgetMs: 40_000 });
    expect(summary.syncs).toEqual([expect.objectContaining({ accountId: account.id, status: "succeeded" })]);
    expect(await propertyRow(account.id, "custom_attributes.seats")).toMatchObject({ status: "broken", statusReason: "archived in Intercom" });
  });

  it("sends answers that waited on a broken question mapping once the attribute is restored", async () => {
    const { emulator, account } = await mappedAccount();
    const email = "waits@example.com";
    const contact = emulator.store.createContact({ email, role: "user" });
    const session = await startWidgetSession({
      publicKey: account.publicKey,
      email,
      ...signedIdentity(decryptSecret(account.widgetSecretEnc), { email }),
    });
    if (!session.ok) throw new Error(session.error);
    await db()
      .update(subscribers)
      .set({ intercomContactId: contact.id, intercomMatch: "matched" })
      .where(and(eq(subscribers.accountId, account.id), eq(subscribers.emailKey, email)));
    const free = session.flow.questions.find((q) => q.kind === "free_text")!;

    emulator.store.archiveAttribute("cancel_comment");
    await checkMappingHealth(account.id);
    const answered = await recordWidgetAnswer(session.sessionId, { sessionToken: session.sessionToken, questionId: free.id, text: "Too slow" });
    if (!answered.ok || !answered.deliveryId) throw new Error("no delivery");
    await drainDueDeliveries({ budgetMs: 10_000, accountId: account.id });
    const waiting = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, answered.deliveryId));
    expect(waiting[0]).toMatchObject({ state: "needs_attention", attentionReason: "mapping_broken" });
    expect(emulator.store.getContact(contact.id)!.contact.custom_attributes.cancel_comment).toBeUndefined();

    emulator.store.archiveAttribute("cancel_comment", false);
    expect(await checkMappingHealth(account.id)).toMatchObject({ ok: true, recovered: 1 });
    await drainDueDeliveries({ budgetMs: 10_000, accountId: account.id });
    const sent = await db().select().from(answerDeliveries).where(eq(answerDeliveries.id, answered.deliveryId));
    expect(sent[0]!.state).toBe("delivered");
    expect(emulator.store.getContact(contact.id)!.contact.custom_attributes.cancel_comment).toBe("Too slow");
  });

  it("closes alerts about mappings that were replaced by a later save", async () => {
    const { emulator, account } = await mappedAccount();
    emulator.store.archiveAttribute("cancel_comment");
    await checkMappingHealth(account.id);
    expect(await openAlerts(account.id)).toHaveLength(1);
    // The admin re-maps without the broken row; the saved set gets new ids.
    const flow = await getFlowForEditor(account.id);
    const saved = await saveQuestionMappings(account.id, [{ questionId: flow!.questions[0]!.id, intercomAttribute: "cancel_reason_code" }]);
    expect(saved.ok).toBe(true);
    expect(await checkMappingHealth(account.id)).toMatchObject({ ok: true, broken: [] });
    expect(await openAlerts(account.id)).toEqual([]);
  });
});
