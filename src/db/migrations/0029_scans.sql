CREATE TABLE "scans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"source" text NOT NULL,
	"inbound_message_id" uuid,
	"attachment_index" integer,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"reference" text,
	"method" text,
	"customer_id" uuid,
	"communication_id" uuid,
	"document_id" uuid,
	"ticket_id" uuid,
	"detail" text,
	"text" text,
	"received_by" text NOT NULL,
	"filed_by" text,
	"received_at" timestamp (3) with time zone NOT NULL,
	"filed_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_inbound_message_id_inbound_messages_id_fk" FOREIGN KEY ("inbound_message_id") REFERENCES "public"."inbound_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_communication_id_communications_id_fk" FOREIGN KEY ("communication_id") REFERENCES "public"."communications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scans_received_idx" ON "scans" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "scans_status_idx" ON "scans" USING btree ("status","received_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "scans_inbound_attachment_idx" ON "scans" USING btree ("inbound_message_id","attachment_index");