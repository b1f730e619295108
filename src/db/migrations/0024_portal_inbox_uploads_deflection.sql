CREATE TABLE "portal_uploads" (
	"customer_id" uuid NOT NULL,
	"file_sha256" text NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "portal_uploads_customer_id_file_sha256_pk" PRIMARY KEY("customer_id","file_sha256")
);
--> statement-breakpoint
DROP INDEX "communications_customer_idx";--> statement-breakpoint
ALTER TABLE "knowledge_feedback" ADD COLUMN "not_deflected" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "portal_uploads" ADD CONSTRAINT "portal_uploads_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "communications_customer_idx" ON "communications" USING btree ("customer_id","created_at","id");