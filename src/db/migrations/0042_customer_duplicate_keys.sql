-- Keys compared by their bytes (collation "C"): equal is all that matters, and language rules cost more.
CREATE TABLE "customer_duplicate_keys" (
	"kind" text NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"customer_id" uuid NOT NULL,
	CONSTRAINT "customer_duplicate_keys_kind_key_customer_id_pk" PRIMARY KEY("kind","key","customer_id")
);
--> statement-breakpoint
CREATE TABLE "customer_duplicate_key_counts" (
	"kind" text NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"customers" integer NOT NULL,
	CONSTRAINT "customer_duplicate_key_counts_kind_key_pk" PRIMARY KEY("kind","key")
);
--> statement-breakpoint
-- The keys by which two customers may be one: each email and phone number as stored (normalized on
-- write), and the street address as country, postal code and first line in lower case without
-- surrounding spaces ("Lindenweg 3" and " LINDENWEG 3" are one address).
CREATE FUNCTION duplicate_keys_of(emails text[], phones text[], address jsonb) RETURNS TABLE (kind text, key text)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  BEGIN ATOMIC
    SELECT 'email', email FROM unnest(emails) AS email
    UNION
    SELECT 'phone', phone FROM unnest(phones) AS phone
    UNION
    SELECT 'address', concat(address ->> 'country', E'\n', address ->> 'postalCode', E'\n',
      lower(btrim(address -> 'lines' ->> 0)))
      WHERE address -> 'lines' ->> 0 IS NOT NULL;
  END;
--> statement-breakpoint
INSERT INTO "customer_duplicate_keys" (kind, key, customer_id)
  SELECT k.kind, k.key, c.id FROM "customers" AS c, duplicate_keys_of(c.emails, c.phones, c.address) AS k
  WHERE c.archived_at IS NULL;
--> statement-breakpoint
INSERT INTO "customer_duplicate_key_counts" (kind, key, customers)
  SELECT kind, key, count(*) FROM "customer_duplicate_keys" GROUP BY kind, key;
--> statement-breakpoint
CREATE INDEX "customer_duplicate_key_counts_shared_idx" ON "customer_duplicate_key_counts" USING btree ("kind","key") WHERE "customer_duplicate_key_counts"."customers" > 1;
--> statement-breakpoint
-- Active customers' keys only (archiving one, as a merge does, takes its keys away), and how many
-- hold each: the count's row is locked while it changes, so two customers given one email at the
-- same moment count two. Inserts and deletes run once per statement, so that a bulk import adds its
-- keys in one statement; an update is per row, and only of the columns the keys come from (a batch
-- run's last_contacted_at is none). Keys are found through the primary keys alone.
CREATE FUNCTION customer_duplicate_keys_keep() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    IF OLD.archived_at IS NULL THEN
      WITH gone AS (
        DELETE FROM customer_duplicate_keys AS d
          USING duplicate_keys_of(OLD.emails, OLD.phones, OLD.address) AS k
          WHERE d.kind = k.kind AND d.key = k.key AND d.customer_id = OLD.id
          RETURNING d.kind, d.key
      )
      UPDATE customer_duplicate_key_counts AS c SET customers = c.customers - 1
        FROM gone WHERE c.kind = gone.kind AND c.key = gone.key;
    END IF;
    IF NEW.archived_at IS NULL THEN
      WITH came AS (
        INSERT INTO customer_duplicate_keys (kind, key, customer_id)
          SELECT k.kind, k.key, NEW.id FROM duplicate_keys_of(NEW.emails, NEW.phones, NEW.address) AS k
          ON CONFLICT DO NOTHING
          RETURNING kind, key
      )
      INSERT INTO customer_duplicate_key_counts (kind, key, customers) SELECT kind, key, 1 FROM came
        ON CONFLICT (kind, key) DO UPDATE SET customers = customer_duplicate_key_counts.customers + 1;
    END IF;
  ELSIF TG_OP = 'INSERT' THEN
    WITH came AS (
      INSERT INTO customer_duplicate_keys (kind, key, customer_id)
        SELECT k.kind, k.key, a.id FROM added AS a, duplicate_keys_of(a.emails, a.phones, a.address) AS k
        WHERE a.archived_at IS NULL
        ON CONFLICT DO NOTHING
        RETURNING kind, key
    )
    INSERT INTO customer_duplicate_key_counts (kind, key, customers) SELECT kind, key, count(*) FROM came GROUP BY kind, key
      ON CONFLICT (kind, key) DO UPDATE SET customers = customer_duplicate_key_counts.customers + excluded.customers;
  ELSE
    WITH gone AS (
      DELETE FROM customer_duplicate_keys AS d
        USING removed AS r, duplicate_keys_of(r.emails, r.phones, r.address) AS k
        WHERE d.kind = k.kind AND d.key = k.key AND d.customer_id = r.id
        RETURNING d.kind, d.key
    )
    UPDATE customer_duplicate_key_counts AS c SET customers = c.customers - gone.customers
      FROM (SELECT kind, key, count(*) AS customers FROM gone GROUP BY kind, key) AS gone
      WHERE c.kind = gone.kind AND c.key = gone.key;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customers_duplicate_keys_added AFTER INSERT ON customers
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION customer_duplicate_keys_keep();
--> statement-breakpoint
CREATE TRIGGER customers_duplicate_keys_removed AFTER DELETE ON customers
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION customer_duplicate_keys_keep();
--> statement-breakpoint
CREATE TRIGGER customers_duplicate_keys_changed AFTER UPDATE OF emails, phones, address, archived_at ON customers
  FOR EACH ROW WHEN (
    OLD.emails IS DISTINCT FROM NEW.emails OR OLD.phones IS DISTINCT FROM NEW.phones
    OR OLD.address IS DISTINCT FROM NEW.address OR OLD.archived_at IS DISTINCT FROM NEW.archived_at
  ) EXECUTE FUNCTION customer_duplicate_keys_keep();
