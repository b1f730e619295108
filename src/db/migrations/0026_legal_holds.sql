CREATE TABLE "legal_hold_scopes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hold_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target_id" uuid,
	"query" jsonb,
	"added_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "legal_hold_scopes_names_something" CHECK (("legal_hold_scopes"."kind" = 'query') = ("legal_hold_scopes"."query" is not null) and ("legal_hold_scopes"."kind" = 'query') = ("legal_hold_scopes"."target_id" is null))
);
--> statement-breakpoint
CREATE TABLE "legal_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"matter" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"placed_by" uuid,
	"placed_by_label" text NOT NULL,
	"placed_at" timestamp (3) with time zone NOT NULL,
	"released_by" uuid,
	"released_by_label" text,
	"released_at" timestamp (3) with time zone,
	"release_reason" text
);
--> statement-breakpoint
ALTER TABLE "legal_hold_scopes" ADD CONSTRAINT "legal_hold_scopes_hold_id_legal_holds_id_fk" FOREIGN KEY ("hold_id") REFERENCES "public"."legal_holds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_placed_by_users_id_fk" FOREIGN KEY ("placed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_released_by_users_id_fk" FOREIGN KEY ("released_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "legal_hold_scopes_target_idx" ON "legal_hold_scopes" USING btree ("kind","target_id");--> statement-breakpoint
CREATE INDEX "legal_hold_scopes_hold_idx" ON "legal_hold_scopes" USING btree ("hold_id");--> statement-breakpoint
CREATE INDEX "legal_holds_placed_idx" ON "legal_holds" USING btree ("placed_at","id");