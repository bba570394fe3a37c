DROP INDEX "applications_status_idx";--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "received_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "applications_status_idx" ON "applications" USING btree ("status","received_at");--> statement-breakpoint
UPDATE "applications" SET "received_at" = "submitted_at" WHERE "received_at" IS NULL;