-- The text search documents of search (src/search/), under the 'english' configuration that PGlite
-- and PostgreSQL both ship. Functions, so that generated columns and the index on documents have
-- immutable expressions (array_to_string is only stable). Extracted text is cut at 300,000
-- characters for the index: a tsvector holds at most 1 MB.
CREATE FUNCTION "document_text_search_vector"("body" text) RETURNS tsvector
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN setweight(to_tsvector('pg_catalog.english', left("body", 300000)), 'C');
--> statement-breakpoint
CREATE FUNCTION "communication_text_search_vector"("title" text, "body" text) RETURNS tsvector
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN setweight(to_tsvector('pg_catalog.english', "title"), 'A')
		|| setweight(to_tsvector('pg_catalog.english', left("body", 300000)), 'C');
--> statement-breakpoint
-- A document's own words: title (A), then description, tags and the string and number values of its
-- metadata (B). Indexed as an expression, so the documents table needs no column of search's.
CREATE FUNCTION "document_search_vector"("title" text, "description" text, "tags" text[], "metadata" jsonb) RETURNS tsvector
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN setweight(to_tsvector('pg_catalog.english', "title"), 'A')
		|| setweight(to_tsvector('pg_catalog.english', "description" || ' ' || array_to_string("tags", ' ')), 'B')
		|| setweight(jsonb_to_tsvector('pg_catalog.english', "metadata", '["string", "numeric"]'), 'B');
--> statement-breakpoint
CREATE TABLE "document_texts" (
	"version_id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"version" text NOT NULL,
	"content_sha256" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"method" text,
	"reason" text,
	"text" text DEFAULT '' NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (document_text_search_vector(text)) STORED NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"extracted_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "communication_texts" (
	"communication_id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"reason" text,
	"search" "tsvector" GENERATED ALWAYS AS (communication_text_search_vector(title, text)) STORED NOT NULL,
	"indexed_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_index_state" (
	"name" text PRIMARY KEY NOT NULL,
	"created_at" timestamp (6) with time zone NOT NULL,
	"id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_waiting_communications" (
	"communication_id" uuid PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_texts" ADD CONSTRAINT "document_texts_version_id_document_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."document_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_texts" ADD CONSTRAINT "document_texts_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication_texts" ADD CONSTRAINT "communication_texts_communication_id_communications_id_fk" FOREIGN KEY ("communication_id") REFERENCES "public"."communications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_waiting_communications" ADD CONSTRAINT "search_waiting_communications_communication_id_communications_id_fk" FOREIGN KEY ("communication_id") REFERENCES "public"."communications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "document_texts_version_idx" ON "document_texts" USING btree ("document_id","version");--> statement-breakpoint
CREATE INDEX "document_texts_search_idx" ON "document_texts" USING gin ("search");--> statement-breakpoint
CREATE INDEX "document_texts_content_idx" ON "document_texts" USING btree ("content_sha256","status");--> statement-breakpoint
CREATE INDEX "document_texts_pending_idx" ON "document_texts" USING btree ("created_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "communication_texts_search_idx" ON "communication_texts" USING gin ("search");--> statement-breakpoint
CREATE INDEX "documents_search_idx" ON "documents" USING gin (document_search_vector("title", "description", "tags", "metadata"));