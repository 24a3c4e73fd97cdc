ALTER TYPE "public"."delivery_state" ADD VALUE 'superseded';--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"message" text NOT NULL,
	"fix_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"webhook_delivered_at" timestamp with time zone,
	"webhook_error" text
);
--> statement-breakpoint
CREATE TABLE "intercom_rate_limits" (
	"workspace_id" text PRIMARY KEY NOT NULL,
	"limit_per_window" integer,
	"remaining" integer,
	"reset_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"notification_id" text NOT NULL,
	"account_id" uuid,
	"workspace_id" text NOT NULL,
	"topic" text NOT NULL,
	"contact_id" text,
	"item_updated_at" bigint,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "alert_webhook_url" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "alert_webhook_secret_enc" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "alert_failure_rate_pct" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "answer_deliveries" ADD COLUMN "question_id" uuid;--> statement-breakpoint
ALTER TABLE "answer_deliveries" ADD COLUMN "answered_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "answer_deliveries" ADD COLUMN "last_status" integer;--> statement-breakpoint
ALTER TABLE "answer_deliveries" ADD COLUMN "attention_reason" text;--> statement-breakpoint
ALTER TABLE "property_mappings" ADD COLUMN "backfilled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "question_mappings" ADD COLUMN "broken_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriber_property_values" ADD COLUMN "stale" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "rate_limit_waits" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "pages_read" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "estimated_total" integer;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "strategy" text;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sync_state" ADD COLUMN "checkpoint" jsonb;--> statement-breakpoint
ALTER TABLE "sync_state" ADD COLUMN "active_run_id" uuid;--> statement-breakpoint
ALTER TABLE "sync_state" ADD COLUMN "last_full_sync_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_subject" ON "alerts" USING btree ("account_id","subject") WHERE "alerts"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "alerts_account_created" ON "alerts" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_events_notification" ON "webhook_events" USING btree ("workspace_id","notification_id");--> statement-breakpoint
CREATE INDEX "webhook_events_status" ON "webhook_events" USING btree ("status","received_at");--> statement-breakpoint
ALTER TABLE "answer_deliveries" ADD CONSTRAINT "answer_deliveries_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE set null ON UPDATE no action;