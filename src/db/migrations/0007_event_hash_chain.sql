ALTER TABLE "application_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "application_events" ADD COLUMN "hash" text;--> statement-breakpoint
-- The history of applications is append-only: no role the application connects as may change
-- or remove an event (tamper evidence: the hash chain shows what a superuser might still do).
CREATE OR REPLACE FUNCTION onewindow_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER application_events_append_only BEFORE UPDATE OR DELETE ON "application_events" FOR EACH ROW EXECUTE FUNCTION onewindow_append_only();
