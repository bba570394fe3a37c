-- Append-only logs refuse every UPDATE, DELETE and TRUNCATE statement, even one that matches no
-- row (row triggers fire only per row, and never on TRUNCATE): statement-level triggers with the
-- same function.
CREATE TRIGGER application_events_append_only_statement BEFORE UPDATE OR DELETE OR TRUNCATE ON "application_events" FOR EACH STATEMENT EXECUTE FUNCTION onewindow_append_only();--> statement-breakpoint
CREATE TRIGGER audit_events_append_only_statement BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION onewindow_append_only();
