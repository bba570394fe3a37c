-- Personal data at rest: search-hash columns beside the sealed ID numbers and phones. Rows
-- written before this migration hold plaintext; SQL cannot seal them with the platform's key, so
-- the start-up step in TypeScript (src/pii.ts, run by `onewindow serve|migrate|seed`) seals them,
-- fills the hashes and sets applications.pii_key_id.
DROP INDEX "licenses_holder_idx";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "id_number_hash" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone_hash" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "pii_key_id" integer;--> statement-breakpoint
ALTER TABLE "licenses" ADD COLUMN "holder_id_number_hash" text;--> statement-breakpoint
CREATE INDEX "users_id_number_hash_idx" ON "users" USING btree ("id_number_hash");--> statement-breakpoint
CREATE INDEX "users_phone_hash_idx" ON "users" USING btree ("phone_hash");--> statement-breakpoint
CREATE INDEX "licenses_holder_hash_idx" ON "licenses" USING btree ("holder_id_number_hash");