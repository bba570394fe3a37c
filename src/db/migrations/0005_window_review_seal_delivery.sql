CREATE SEQUENCE "public"."document_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "material_exemptions" (
	"id" serial PRIMARY KEY NOT NULL,
	"item_code" text NOT NULL,
	"material_id" integer NOT NULL,
	"category" text NOT NULL,
	"basis" text NOT NULL,
	CONSTRAINT "material_exemptions_once" UNIQUE("material_id","category")
);
--> statement-breakpoint
CREATE TABLE "review_opinions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"round" integer NOT NULL,
	"department_code" text NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"reviewer_name" text NOT NULL,
	"opinion" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "review_opinions_once" UNIQUE("application_id","step","round","department_code")
);
--> statement-breakpoint
CREATE TABLE "platform_keys" (
	"name" text PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"private_key_enc" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"application_id" uuid NOT NULL,
	"department_code" text NOT NULL,
	"seal_id" uuid NOT NULL,
	"content" text NOT NULL,
	"content_sm3" text NOT NULL,
	"content_signature" text NOT NULL,
	"pdf" "bytea" NOT NULL,
	"pdf_sm3" text NOT NULL,
	"pdf_signature" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text,
	CONSTRAINT "documents_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "chief_representatives" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"department_code" text NOT NULL,
	"hall_code" text NOT NULL,
	"item_codes" jsonb NOT NULL,
	"basis" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone NOT NULL,
	"granted_by_id" uuid NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "commitment_breaches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"applicant_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"check_id" uuid NOT NULL,
	"finding" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commitment_checks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"department_code" text NOT NULL,
	"due_date" date NOT NULL,
	"status" text NOT NULL,
	"outcome" text,
	"correction_due_date" date,
	"finding" text DEFAULT '' NOT NULL,
	"checked_by_id" uuid,
	"checked_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_authorizations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"principal_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"item_codes" jsonb NOT NULL,
	"valid_to" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "key_projects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"officer_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "key_projects_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "review_steps" jsonb;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "taken_by_id" uuid;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "agent_id" uuid;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "agent_name" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "project_id" uuid;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "review_steps" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "current_step" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "review_round" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "pauses" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "extension_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "delivery_method" text DEFAULT 'window' NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "pickup_code" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "delivery" jsonb;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "commitment" jsonb;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "exempted_materials" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "authority" jsonb DEFAULT '{"kind":"department"}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "seals" ADD COLUMN "es_id" text;--> statement-breakpoint
ALTER TABLE "seals" ADD COLUMN "purpose" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "seals" ADD COLUMN "picture_svg" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "seals" ADD COLUMN "seal_info" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "seals" ADD COLUMN "maker_signature" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "seals" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "material_exemptions" ADD CONSTRAINT "material_exemptions_item_code_service_items_code_fk" FOREIGN KEY ("item_code") REFERENCES "public"."service_items"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_exemptions" ADD CONSTRAINT "material_exemptions_material_id_item_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."item_materials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_opinions" ADD CONSTRAINT "review_opinions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "documents_application_idx" ON "documents" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "documents_pdf_sm3_idx" ON "documents" USING btree ("pdf_sm3");--> statement-breakpoint
CREATE INDEX "chief_representatives_user_idx" ON "chief_representatives" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "commitment_breaches_applicant_idx" ON "commitment_breaches" USING btree ("applicant_id");--> statement-breakpoint
CREATE INDEX "commitment_checks_dept_idx" ON "commitment_checks" USING btree ("department_code","status");--> statement-breakpoint
CREATE INDEX "agent_authorizations_agent_idx" ON "agent_authorizations" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "agent_authorizations_principal_idx" ON "agent_authorizations" USING btree ("principal_id");--> statement-breakpoint
CREATE INDEX "applications_project_idx" ON "applications" USING btree ("project_id");