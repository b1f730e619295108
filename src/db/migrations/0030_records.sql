CREATE TABLE "disposition_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigint GENERATED ALWAYS AS IDENTITY (sequence name "disposition_batches_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"status" text DEFAULT 'awaiting_approval' NOT NULL,
	"listed_on" date NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"approved_by" uuid,
	"approved_by_label" text,
	"approved_at" timestamp (3) with time zone,
	CONSTRAINT "disposition_batches_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "disposition_items" (
	"batch_id" uuid NOT NULL,
	"object_type" text NOT NULL,
	"object_id" uuid NOT NULL,
	"title" text NOT NULL,
	"category_name" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"retain_until" date NOT NULL,
	"status" text DEFAULT 'listed' NOT NULL,
	"reason" text,
	"decided_at" timestamp (3) with time zone,
	"decided_by_label" text,
	"held_by" jsonb,
	"destroyed" jsonb,
	CONSTRAINT "disposition_items_batch_id_object_type_object_id_pk" PRIMARY KEY("batch_id","object_type","object_id")
);
--> statement-breakpoint
CREATE TABLE "document_records" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"category_id" uuid NOT NULL,
	"event_date" date,
	"retain_until" date,
	"retention_set_at" timestamp (3) with time zone NOT NULL,
	"declared_by" uuid,
	"declared_by_label" text NOT NULL,
	"declared_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ediscovery_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hold_id" uuid NOT NULL,
	"selection" jsonb,
	"status" text DEFAULT 'running' NOT NULL,
	"items_total" integer DEFAULT 0 NOT NULL,
	"items_done" integer DEFAULT 0 NOT NULL,
	"zip_sha256" text,
	"zip_size" bigint,
	"error" text,
	"requested_by" uuid,
	"requested_by_label" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "record_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"trigger" text NOT NULL,
	"years" integer,
	"event_field" text,
	"built_in" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "record_categories_name_unique" UNIQUE("name"),
	CONSTRAINT "record_categories_years" CHECK ((trigger = 'permanent') = (years is null) and (years is null or years between 0 and 200))
);
--> statement-breakpoint
ALTER TABLE "disposition_batches" ADD CONSTRAINT "disposition_batches_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disposition_items" ADD CONSTRAINT "disposition_items_batch_id_disposition_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."disposition_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_records" ADD CONSTRAINT "document_records_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_records" ADD CONSTRAINT "document_records_category_id_record_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."record_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_records" ADD CONSTRAINT "document_records_declared_by_users_id_fk" FOREIGN KEY ("declared_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ediscovery_exports" ADD CONSTRAINT "ediscovery_exports_hold_id_legal_holds_id_fk" FOREIGN KEY ("hold_id") REFERENCES "public"."legal_holds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ediscovery_exports" ADD CONSTRAINT "ediscovery_exports_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disposition_batches_created_idx" ON "disposition_batches" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "disposition_items_object_idx" ON "disposition_items" USING btree ("object_type","object_id");--> statement-breakpoint
CREATE INDEX "document_records_due_idx" ON "document_records" USING btree ("retain_until");--> statement-breakpoint
CREATE INDEX "document_records_category_idx" ON "document_records" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "ediscovery_exports_hold_idx" ON "ediscovery_exports" USING btree ("hold_id","created_at");