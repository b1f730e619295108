CREATE TABLE "webdav_locks" (
	"token" text PRIMARY KEY NOT NULL,
	"document_id" uuid,
	"folder_id" uuid,
	"user_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"depth" text NOT NULL,
	"owner_xml" text DEFAULT '' NOT NULL,
	"timeout_seconds" integer NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"changed" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webdav_properties" (
	"target_type" text NOT NULL,
	"target_id" uuid NOT NULL,
	"namespace" text NOT NULL,
	"name" text NOT NULL,
	"value_xml" text NOT NULL,
	CONSTRAINT "webdav_properties_target_type_target_id_namespace_name_pk" PRIMARY KEY("target_type","target_id","namespace","name")
);
--> statement-breakpoint
ALTER TABLE "webdav_locks" ADD CONSTRAINT "webdav_locks_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webdav_locks" ADD CONSTRAINT "webdav_locks_folder_id_document_folders_id_fk" FOREIGN KEY ("folder_id") REFERENCES "public"."document_folders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webdav_locks" ADD CONSTRAINT "webdav_locks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webdav_locks_document_idx" ON "webdav_locks" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "webdav_locks_folder_idx" ON "webdav_locks" USING btree ("folder_id");