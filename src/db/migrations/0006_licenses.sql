CREATE SEQUENCE "public"."license_serial_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "license_access_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"license_id" uuid NOT NULL,
	"accessor_id" uuid NOT NULL,
	"accessor_name" text NOT NULL,
	"department_code" text,
	"application_id" uuid,
	"authorization_id" uuid,
	"purpose" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"verified" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "license_authorizations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"license_id" uuid NOT NULL,
	"holder_id" uuid NOT NULL,
	"application_id" uuid,
	"department_code" text,
	"purpose" text DEFAULT '' NOT NULL,
	"valid_to" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "license_types" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type_code" text NOT NULL,
	"definer" text NOT NULL,
	"issuer_name" text NOT NULL,
	"issuer_department_code" text,
	"holder_kind" text NOT NULL,
	"fields" jsonb NOT NULL,
	"validity_years" integer,
	"law" text DEFAULT '' NOT NULL,
	CONSTRAINT "license_types_type_code_unique" UNIQUE("type_code")
);
--> statement-breakpoint
CREATE TABLE "licenses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"type_code" text NOT NULL,
	"holder_kind" text NOT NULL,
	"holder_id_number" text NOT NULL,
	"holder_name" text NOT NULL,
	"issuer_name" text NOT NULL,
	"data" jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"status" text NOT NULL,
	"status_reason" text,
	"status_changed_at" timestamp with time zone,
	"source" text NOT NULL,
	"application_id" uuid,
	"content" text NOT NULL,
	"content_sm3" text NOT NULL,
	"signature" text NOT NULL,
	"seal_id" uuid NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	CONSTRAINT "licenses_identifier_unique" UNIQUE("identifier")
);
--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "result_license_type" text;--> statement-breakpoint
ALTER TABLE "license_authorizations" ADD CONSTRAINT "license_authorizations_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licenses" ADD CONSTRAINT "licenses_type_code_license_types_code_fk" FOREIGN KEY ("type_code") REFERENCES "public"."license_types"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "license_access_log_license_idx" ON "license_access_log" USING btree ("license_id","at");--> statement-breakpoint
CREATE INDEX "license_authorizations_license_idx" ON "license_authorizations" USING btree ("license_id");--> statement-breakpoint
CREATE INDEX "licenses_holder_idx" ON "licenses" USING btree ("holder_id_number");