CREATE TABLE "kpi_daily" (
	"kpi" text NOT NULL,
	"day" date NOT NULL,
	"grp" text,
	"channel" text,
	"template_id" uuid,
	"template_version_id" uuid,
	"purpose" text,
	"batch_run_id" uuid,
	"queue_id" uuid,
	"num" double precision NOT NULL,
	"den" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_rollups" (
	"kpi" text PRIMARY KEY NOT NULL,
	"rolled_up_before" date NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "kpi_daily_idx" ON "kpi_daily" USING btree ("kpi","day");