-- Wakes workers in every process when jobs are added: one notification per inserting statement,
-- delivered at commit, so a bulk INSERT … SELECT of a batch run's items costs one.
CREATE FUNCTION tidings_jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tidings_jobs', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs FOR EACH STATEMENT EXECUTE FUNCTION tidings_jobs_notify();
