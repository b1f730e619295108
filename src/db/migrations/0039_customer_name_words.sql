-- The words of a name as the fuzzy search compares them: lower case and without accents by
-- Unicode's rules in every script (the ICU collation, not the database's C locale, which would
-- leave "ИВАН" and "Zoë" as they are), split at spaces and punctuation ("O'Brien-Smith" is three
-- words). Accents are the combining marks a decomposed Latin, Greek or Cyrillic letter sheds ("ë"
-- is "e" and U+0308); other scripts' marks (Devanagari vowel signs) stay, and the rest is composed
-- again, so that Korean syllables stay whole. An array split, not a set-returning function in a
-- sub-select: every insert and rename computes it twice (index and trigger), and this is 2.7 times cheaper.
CREATE FUNCTION name_words(name text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN array_remove(regexp_split_to_array(
    normalize(regexp_replace(normalize(lower(name COLLATE "und-x-icu"), NFD), '[\u0300-\u036f]', '', 'g'), NFC),
    '[[:space:][:punct:]]+'), '');
--> statement-breakpoint
CREATE TABLE "customer_name_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
INSERT INTO "customer_name_words" SELECT DISTINCT word FROM "customers", unnest(name_words("name")) AS word WHERE word !~ '^[0-9]+$';
--> statement-breakpoint
CREATE INDEX "customer_name_words_trgm_idx" ON "customer_name_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_name_words_idx" ON "customers" USING gin (name_words("name"));
--> statement-breakpoint
-- Adds the words of new names but numbers (a number is only ever searched as written, and
-- "Branch 0423" would add one per customer), and drops the words no customer's name holds any more (found
-- through customers_name_words_idx). Inserts and deletes run once per statement, so a bulk import
-- adds each word once; a rename is per row, because a statement trigger on UPDATE would copy every
-- updated customer (a batch run's last_contacted_at) only to find the names unchanged.
CREATE FUNCTION customer_name_words_keep() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    INSERT INTO customer_name_words SELECT word FROM unnest(name_words(NEW.name)) AS word WHERE word !~ '^[0-9]+$'
      ON CONFLICT DO NOTHING;
    DELETE FROM customer_name_words AS w
      WHERE w.word = ANY (name_words(OLD.name)) AND w.word <> ALL (name_words(NEW.name))
        AND NOT EXISTS (SELECT FROM customers AS c WHERE name_words(c.name) @> array[w.word]);
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO customer_name_words SELECT DISTINCT word FROM added, unnest(name_words(name)) AS word
      WHERE word !~ '^[0-9]+$' ON CONFLICT DO NOTHING;
  ELSE
    DELETE FROM customer_name_words AS w
      WHERE w.word IN (SELECT unnest(name_words(name)) FROM removed)
        AND NOT EXISTS (SELECT FROM customers AS c WHERE name_words(c.name) @> array[w.word]);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customers_name_words_added AFTER INSERT ON customers
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION customer_name_words_keep();
--> statement-breakpoint
CREATE TRIGGER customers_name_words_removed AFTER DELETE ON customers
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION customer_name_words_keep();
--> statement-breakpoint
CREATE TRIGGER customers_name_words_renamed AFTER UPDATE OF name ON customers
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION customer_name_words_keep();
