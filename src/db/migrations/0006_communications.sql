CREATE TABLE "batch_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"template_id" uuid NOT NULL,
	"template_version_id" uuid NOT NULL,
	"segment_id" uuid NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"cursor" uuid,
	"total" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "channel_rates" (
	"channel" text PRIMARY KEY NOT NULL,
	"cost_millicents" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communication_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"communication_id" uuid NOT NULL,
	"channel" text,
	"outcome" text NOT NULL,
	"detail" text NOT NULL,
	"provider_response" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"template_version_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"batch_run_id" uuid,
	"idempotency_key" text,
	"request_hash" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"status_reason" text,
	"channel" text,
	"channel_reason" text,
	"address" text,
	"language" text,
	"failed_channels" text[] DEFAULT '{}'::text[] NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"defer_until" timestamp with time zone,
	"archive_sha256" text,
	"archive_media_type" text,
	"archive_size" integer,
	"snapshot_sha256" text,
	"provider_message_id" text,
	"transport" text,
	"print_batch_id" uuid,
	"cost_millicents" integer,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "print_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pdf_sha256" text NOT NULL,
	"manifest_sha256" text NOT NULL,
	"items" integer NOT NULL,
	"pages" integer NOT NULL,
	"folder" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "batch_runs" ADD CONSTRAINT "batch_runs_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_runs" ADD CONSTRAINT "batch_runs_template_version_id_template_versions_id_fk" FOREIGN KEY ("template_version_id") REFERENCES "public"."template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_runs" ADD CONSTRAINT "batch_runs_segment_id_segments_id_fk" FOREIGN KEY ("segment_id") REFERENCES "public"."segments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication_attempts" ADD CONSTRAINT "communication_attempts_communication_id_communications_id_fk" FOREIGN KEY ("communication_id") REFERENCES "public"."communications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_template_version_id_template_versions_id_fk" FOREIGN KEY ("template_version_id") REFERENCES "public"."template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "communication_attempts_idx" ON "communication_attempts" USING btree ("communication_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "communications_idempotency_idx" ON "communications" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "communications_run_customer_idx" ON "communications" USING btree ("batch_run_id","customer_id") WHERE batch_run_id is not null;--> statement-breakpoint
CREATE INDEX "communications_customer_idx" ON "communications" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "communications_status_idx" ON "communications" USING btree ("status","channel");--> statement-breakpoint
CREATE INDEX "communications_template_idx" ON "communications" USING btree ("template_id","template_version_id");--> statement-breakpoint
CREATE INDEX "communications_provider_idx" ON "communications" USING btree ("provider_message_id");--> statement-breakpoint
CREATE INDEX "communications_created_idx" ON "communications" USING btree ("created_at","id");