CREATE TABLE "gateway_receipt_signatures" (
	"digest" text PRIMARY KEY NOT NULL,
	"signed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "gateway_receipt_signatures_signed_idx" ON "gateway_receipt_signatures" USING btree ("signed_at");