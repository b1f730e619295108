ALTER TABLE "batch_runs" ALTER COLUMN "segment_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "brand_kit" ADD COLUMN "currency" text DEFAULT 'EUR' NOT NULL;--> statement-breakpoint
ALTER TABLE "batch_runs" ADD COLUMN "corrects_version_ids" uuid[];