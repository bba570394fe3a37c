CREATE TABLE "stats_daily" (
	"day" date NOT NULL,
	"department_code" text NOT NULL,
	"region_code" text NOT NULL,
	"channel" text NOT NULL,
	"submitted" integer NOT NULL,
	"accepted" integer NOT NULL,
	"accepted_at_window" integer NOT NULL,
	"rejected" integer NOT NULL,
	"withdrawn" integer NOT NULL,
	"withdrawn_after_acceptance" integer NOT NULL,
	"in_progress" integer NOT NULL,
	"decided" integer NOT NULL,
	"granted" integer NOT NULL,
	"denied" integer NOT NULL,
	"delivered" integer NOT NULL,
	"decided_with_due" integer NOT NULL,
	"on_time" integer NOT NULL,
	"immediate_decided" integer NOT NULL,
	"immediate_same_day" integer NOT NULL,
	"license_free" integer NOT NULL,
	"license_uses" integer NOT NULL,
	"rated_1" integer NOT NULL,
	"rated_2" integer NOT NULL,
	"rated_3" integer NOT NULL,
	"rated_4" integer NOT NULL,
	"rated_5" integer NOT NULL,
	"rated_default" integer NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stats_daily_day_department_code_region_code_channel_pk" PRIMARY KEY("day","department_code","region_code","channel")
);
--> statement-breakpoint
CREATE TABLE "stats_dirty_days" (
	"day" date PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "source" text DEFAULT 'applicant' NOT NULL;--> statement-breakpoint
CREATE INDEX "stats_daily_department_idx" ON "stats_daily" USING btree ("department_code","day");--> statement-breakpoint
CREATE INDEX "application_events_deemed_idx" ON "application_events" USING btree ("application_id") WHERE action = 'deem_accepted';--> statement-breakpoint
CREATE INDEX "applications_submitted_idx" ON "applications" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "applications_open_due_idx" ON "applications" USING btree ("due_date") WHERE status IN ('accepted', 'reviewed');--> statement-breakpoint
CREATE INDEX "applications_delivered_idx" ON "applications" USING btree ("updated_at") WHERE status = 'delivered';--> statement-breakpoint
-- The statistics' dirty days: any write to an application, and any rating, marks the cohort day
-- (the Asia/Shanghai date of submission) whose rollup must be rebuilt. DO NOTHING takes no lock
-- on an existing row, so concurrent transitions of the same day do not queue here.
CREATE FUNCTION onewindow_stats_mark_application() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_dirty_days (day) VALUES ((NEW.submitted_at AT TIME ZONE 'Asia/Shanghai')::date) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION onewindow_stats_mark_evaluation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_dirty_days (day)
    SELECT (a.submitted_at AT TIME ZONE 'Asia/Shanghai')::date FROM applications a WHERE a.id = NEW.application_id
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER applications_stats_dirty AFTER INSERT OR UPDATE ON applications FOR EACH ROW EXECUTE FUNCTION onewindow_stats_mark_application();--> statement-breakpoint
CREATE TRIGGER evaluations_stats_dirty AFTER INSERT ON evaluations FOR EACH ROW EXECUTE FUNCTION onewindow_stats_mark_evaluation();--> statement-breakpoint
-- Existing applications: every cohort day is built on the first refresh.
INSERT INTO stats_dirty_days (day) SELECT DISTINCT (submitted_at AT TIME ZONE 'Asia/Shanghai')::date FROM applications ON CONFLICT DO NOTHING;
