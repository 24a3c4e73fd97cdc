import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const id = () => uuid("id").primaryKey().defaultRandom();
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const accountRef = () =>
  uuid("account_id")
    .notNull()
    .references(() => accounts.id, { onDelete: "cascade" });

// ---------- accounts and admins ----------

export const accounts = pgTable("accounts", {
  id: id(),
  name: text("name").notNull(),
  // Public widget key: identifies the account to the widget; safe to embed in pages.
  publicKey: text("public_key").notNull().unique(),
  // HMAC key the customer's server signs subscriber identities with; encrypted at rest.
  widgetSecretEnc: text("widget_secret_enc").notNull(),
  // Optional: Holdfast POSTs signed alerts here (connection revoked, mapping broken, failure rate).
  alertWebhookUrl: text("alert_webhook_url"),
  alertWebhookSecretEnc: text("alert_webhook_secret_enc"),
  // Share of the last hour's deliveries that may fail before an alert is raised.
  alertFailureRate: integer("alert_failure_rate_pct").notNull().default(20),
  createdAt: createdAt(),
});

export const admins = pgTable("admins", {
  id: id(),
  accountId: accountRef(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  createdAt: createdAt(),
});

// ---------- Intercom connection ----------

export const connectionStatus = pgEnum("connection_status", ["connected", "reconnect_required", "disconnected"]);

export const intercomConnections = pgTable(
  "intercom_connections",
  {
    id: id(),
    accountId: accountRef().unique(),
    workspaceId: text("workspace_id").notNull(),
    workspaceName: text("workspace_name").notNull(),
    region: text("region").notNull(),
    // IANA zone from /me; null when Intercom reported none (searches then reach two days back).
    timezone: text("timezone"),
    accessTokenEnc: text("access_token_enc"),
    status: connectionStatus("status").notNull().default("connected"),
    statusReason: text("status_reason"),
    connectedBy: uuid("connected_by").references(() => admins.id, { onDelete: "set null" }),
    connectedAt: timestamp("connected_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One Holdfast account per live Intercom workspace (a workspace attached elsewhere is refused).
    uniqueIndex("intercom_connections_live_workspace").on(t.workspaceId).where(sql`${t.status} <> 'disconnected'`),
  ],
);

export const oauthStates = pgTable("oauth_states", {
  // sha256 of the state sent to Intercom; the raw value only lives in the admin's browser.
  stateHash: text("state_hash").primaryKey(),
  accountId: accountRef(),
  adminId: uuid("admin_id")
    .notNull()
    .references(() => admins.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  createdAt: createdAt(),
});

// ---------- custom properties and their Intercom mappings ----------

export const propertyType = pgEnum("property_type", ["text", "number", "boolean", "date"]);

export const customProperties = pgTable(
  "custom_properties",
  {
    id: id(),
    accountId: accountRef(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    type: propertyType("type").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("custom_properties_account_key").on(t.accountId, t.key)],
);

export const mappingStatus = pgEnum("mapping_status", ["ok", "broken"]);

export const propertyMappings = pgTable(
  "property_mappings",
  {
    id: id(),
    accountId: accountRef(),
    // Intercom attribute full_name: "email", "location.city", "custom_attributes.plan_name".
    intercomAttribute: text("intercom_attribute").notNull(),
    intercomLabel: text("intercom_label").notNull(),
    intercomDataType: text("intercom_data_type").notNull(),
    propertyId: uuid("property_id")
      .notNull()
      .references(() => customProperties.id, { onDelete: "cascade" }),
    status: mappingStatus("status").notNull().default("ok"),
    statusReason: text("status_reason"),
    // Null until every matched subscriber has this attribute's value (set by the backfill).
    backfilledAt: timestamp("backfilled_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("property_mappings_account_attribute").on(t.accountId, t.intercomAttribute),
    uniqueIndex("property_mappings_account_property").on(t.accountId, t.propertyId),
  ],
);

// ---------- subscribers ----------

export const subscriberMatch = pgEnum("subscriber_match", ["none", "matched", "ambiguous"]);

export const subscribers = pgTable(
  "subscribers",
  {
    id: id(),
    accountId: accountRef(),
    email: text("email").notNull(),
    // trim + lowercase of email; the only thing matched against Intercom.
    emailKey: text("email_key").notNull(),
    externalId: text("external_id"),
    name: text("name"),
    plan: text("plan"),
    status: text("status").notNull().default("active"),
    mrrCents: integer("mrr_cents"),
    subscribedAt: timestamp("subscribed_at", { withTimezone: true }),
    intercomContactId: text("intercom_contact_id"),
    intercomMatch: subscriberMatch("intercom_match").notNull().default("none"),
    intercomCandidates: integer("intercom_candidates").notNull().default(0),
    intercomLinkedAt: timestamp("intercom_linked_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("subscribers_account_email").on(t.accountId, t.emailKey),
    index("subscribers_account_contact").on(t.accountId, t.intercomContactId),
  ],
);

// Intercom contacts whose email matches a subscriber: the candidate set used to pick one
// contact per subscriber deterministically, across pages and runs.
export const intercomContacts = pgTable(
  "intercom_contacts",
  {
    accountId: accountRef(),
    contactId: text("contact_id").notNull(),
    emailKey: text("email_key").notNull(),
    role: text("role").notNull(),
    externalId: text("external_id"),
    contactUpdatedAt: bigint("contact_updated_at", { mode: "number" }).notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.contactId] }),
    index("intercom_contacts_account_email").on(t.accountId, t.emailKey),
  ],
);

export const subscriberPropertyValues = pgTable(
  "subscriber_property_values",
  {
    accountId: accountRef(),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
    propertyId: uuid("property_id")
      .notNull()
      .references(() => customProperties.id, { onDelete: "cascade" }),
    // text -> string, number -> number, boolean -> boolean, date -> unix seconds (number); null = unset in Intercom.
    value: jsonb("value").$type<string | number | boolean | null>(),
    sourceContactId: text("source_contact_id").notNull(),
    sourceAttribute: text("source_attribute").notNull(),
    sourceUpdatedAt: bigint("source_updated_at", { mode: "number" }).notNull(),
    syncedAt: timestamp("synced_at", { withTimezone: true }).notNull().defaultNow(),
    // The source contact was deleted, archived or unlinked: the value is kept but no longer current.
    stale: boolean("stale").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.subscriberId, t.propertyId] })],
);

// ---------- sync ----------

export const syncRuns = pgTable(
  "sync_runs",
  {
    id: id(),
    accountId: accountRef(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => intercomConnections.id, { onDelete: "cascade" }),
    trigger: text("trigger").notNull(),
    mode: text("mode").notNull(),
    status: text("status").notNull().default("running"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    contactsRead: integer("contacts_read").notNull().default(0),
    contactsMatched: integer("contacts_matched").notNull().default(0),
    valuesUpdated: integer("values_updated").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    apiCalls: integer("api_calls").notNull().default(0),
    rateLimitWaits: integer("rate_limit_waits").notNull().default(0),
    pagesRead: integer("pages_read").notNull().default(0),
    // total_count Intercom reported for the run's query: the progress bar's denominator.
    estimatedTotal: integer("estimated_total"),
    // scan (page through contacts), lookup (search subscribers' emails in batches), backfill.
    strategy: text("strategy"),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
    errorMessage: text("error_message"),
  },
  (t) => [index("sync_runs_account_started").on(t.accountId, t.startedAt)],
);

export const syncErrors = pgTable(
  "sync_errors",
  {
    id: id(),
    accountId: accountRef(),
    runId: uuid("run_id")
      .notNull()
      .references(() => syncRuns.id, { onDelete: "cascade" }),
    subscriberId: uuid("subscriber_id").references(() => subscribers.id, { onDelete: "cascade" }),
    contactId: text("contact_id"),
    propertyId: uuid("property_id").references(() => customProperties.id, { onDelete: "cascade" }),
    message: text("message").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sync_errors_account_subscriber").on(t.accountId, t.subscriberId)],
);

// One row per connection: the incremental watermark and the lease that keeps runs exclusive.
export const syncState = pgTable("sync_state", {
  connectionId: uuid("connection_id")
    .primaryKey()
    .references(() => intercomConnections.id, { onDelete: "cascade" }),
  accountId: accountRef(),
  // Newest contact updated_at (unix s) fully processed by a completed run.
  watermark: bigint("watermark", { mode: "number" }),
  fullSyncRequested: boolean("full_sync_requested").notNull().default(true),
  leaseOwner: text("lease_owner"),
  leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
  // Checkpoint of the window in progress, saved after every page, so a killed run resumes there.
  checkpoint: jsonb("checkpoint").$type<Record<string, unknown> | null>(),
  activeRunId: uuid("active_run_id"),
  lastFullSyncAt: timestamp("last_full_sync_at", { withTimezone: true }),
});

// One request budget per Intercom workspace, shared by every process and every feature (sync,
// write-back), from the X-RateLimit-* headers of the latest response.
export const intercomRateLimits = pgTable("intercom_rate_limits", {
  workspaceId: text("workspace_id").primaryKey(),
  limitPerWindow: integer("limit_per_window"),
  remaining: integer("remaining"),
  resetAt: timestamp("reset_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

// Intercom webhook notifications: stored on receipt (answered fast), applied asynchronously.
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: id(),
    notificationId: text("notification_id").notNull(),
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id").notNull(),
    topic: text("topic").notNull(),
    contactId: text("contact_id"),
    itemUpdatedAt: bigint("item_updated_at", { mode: "number" }),
    payload: jsonb("payload").notNull(),
    status: text("status").notNull().default("queued"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_events_notification").on(t.workspaceId, t.notificationId),
    index("webhook_events_status").on(t.status, t.receivedAt),
    // "Was this contact deleted?" is asked per notification: keep it an index lookup.
    index("webhook_events_account_contact").on(t.accountId, t.contactId),
  ],
);

// ---------- cancellation flows ----------

export const flows = pgTable("flows", {
  id: id(),
  accountId: accountRef(),
  name: text("name").notNull(),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: createdAt(),
});

export const questionKind = pgEnum("question_kind", ["multiple_choice", "free_text", "rating"]);

export const questions = pgTable(
  "questions",
  {
    id: id(),
    accountId: accountRef(),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    kind: questionKind("kind").notNull(),
    prompt: text("prompt").notNull(),
    position: integer("position").notNull(),
    // Set instead of deleting a question that has answers: gone from the widget and the editor,
    // still there for its answers, their deliveries and the subscriber pages.
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("questions_flow").on(t.flowId)],
);

export const questionOptions = pgTable(
  "question_options",
  {
    id: id(),
    accountId: accountRef(),
    questionId: uuid("question_id")
      .notNull()
      .references(() => questions.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    reasonCode: text("reason_code"),
    position: integer("position").notNull(),
  },
  (t) => [index("question_options_question").on(t.questionId)],
);

export const questionMappings = pgTable(
  "question_mappings",
  {
    id: id(),
    accountId: accountRef(),
    questionId: uuid("question_id")
      .notNull()
      .unique()
      .references(() => questions.id, { onDelete: "cascade" }),
    // Intercom custom attribute `name` (the key inside contact.custom_attributes).
    intercomAttribute: text("intercom_attribute").notNull(),
    intercomDataType: text("intercom_data_type").notNull(),
    intercomOptions: jsonb("intercom_options").$type<string[] | null>(),
    status: mappingStatus("status").notNull().default("ok"),
    statusReason: text("status_reason"),
    brokenAt: timestamp("broken_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("question_mappings_account_attribute").on(t.accountId, t.intercomAttribute)],
);

export const cancelSessions = pgTable("cancel_sessions", {
  id: id(),
  accountId: accountRef(),
  flowId: uuid("flow_id")
    .notNull()
    .references(() => flows.id, { onDelete: "cascade" }),
  subscriberId: uuid("subscriber_id")
    .notNull()
    .references(() => subscribers.id, { onDelete: "cascade" }),
  status: text("status").notNull().default("started"),
  outcome: text("outcome"),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  completedAt: timestamp("completed_at", { withTimezone: true }),
});

export const answers = pgTable(
  "answers",
  {
    id: id(),
    accountId: accountRef(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => cancelSessions.id, { onDelete: "cascade" }),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
    // No cascade: deleting a question must never take its answers (and their undelivered
    // deliveries) with it; a question with answers is archived. "no action" is checked at the end
    // of the statement, so an account or flow deletion that removes both still goes through.
    questionId: uuid("question_id")
      .notNull()
      .references(() => questions.id, { onDelete: "no action" }),
    optionId: uuid("option_id").references(() => questionOptions.id, { onDelete: "set null" }),
    textValue: text("text_value"),
    ratingValue: integer("rating_value"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("answers_session_question").on(t.sessionId, t.questionId)],
);

// superseded: a newer answer for the same attribute and contact was sent instead (never overwritten by an older one).
export const deliveryState = pgEnum("delivery_state", [
  "pending",
  "delivered",
  "unknown",
  "needs_attention",
  "failed",
  "superseded",
]);

// The outbox of answers to write to Intercom; created in the same transaction as the answer.
export const answerDeliveries = pgTable(
  "answer_deliveries",
  {
    id: id(),
    accountId: accountRef(),
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
    questionId: uuid("question_id").references(() => questions.id, { onDelete: "set null" }),
    attribute: text("attribute").notNull(),
    value: jsonb("value").$type<string | number>().notNull(),
    // When the answer was given: orders answers for one attribute so an older never overwrites a newer.
    answeredAt: timestamp("answered_at", { withTimezone: true }).notNull().defaultNow(),
    truncated: boolean("truncated").notNull().default(false),
    state: deliveryState("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    contactId: text("contact_id"),
    lastError: text("last_error"),
    lastErrorCode: text("last_error_code"),
    lastStatus: integer("last_status"),
    lastRequestId: text("last_request_id"),
    // Waiting on an admin: mapping_broken, contact_not_found, invalid_value (the stored value
    // is unreadable); cleared when they fix it.
    attentionReason: text("attention_reason"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("answer_deliveries_answer").on(t.answerId),
    index("answer_deliveries_due").on(t.state, t.nextAttemptAt),
  ],
);

// In-app notices (and, when configured, signed outbound webhooks) about things an admin must fix.
export const alerts = pgTable(
  "alerts",
  {
    id: id(),
    accountId: accountRef(),
    kind: text("kind").notNull(),
    // One open alert per subject (e.g. "mapping:<id>"): raising it again does not duplicate it.
    subject: text("subject").notNull(),
    message: text("message").notNull(),
    fixUrl: text("fix_url"),
    createdAt: createdAt(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    webhookDeliveredAt: timestamp("webhook_delivered_at", { withTimezone: true }),
    webhookError: text("webhook_error"),
  },
  (t) => [
    uniqueIndex("alerts_open_subject").on(t.accountId, t.subject).where(sql`${t.resolvedAt} is null`),
    index("alerts_account_created").on(t.accountId, t.createdAt),
  ],
);
