DROP INDEX "customers_stage_idx";--> statement-breakpoint
CREATE INDEX "customers_stage_name_idx" ON "customers" USING btree ("lifecycle_stage","name","id");