CREATE SEQUENCE "public"."application_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "departments" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"short_name" text NOT NULL,
	"name_en" text,
	"region_code" text NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hall_windows" (
	"code" text PRIMARY KEY NOT NULL,
	"hall_code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "halls" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region_code" text NOT NULL,
	"address" text,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" text
);
--> statement-breakpoint
CREATE TABLE "item_materials" (
	"id" serial PRIMARY KEY NOT NULL,
	"item_code" text NOT NULL,
	"seq" integer NOT NULL,
	"name" text NOT NULL,
	"original" integer DEFAULT 1 NOT NULL,
	"copies" integer DEFAULT 0 NOT NULL,
	"required" boolean DEFAULT true NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "item_materials_item_seq" UNIQUE("item_code","seq")
);
--> statement-breakpoint
CREATE TABLE "service_items" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"department_code" text NOT NULL,
	"review_department_code" text NOT NULL,
	"decision_department_code" text NOT NULL,
	"statutory_limit_days" integer,
	"statutory_limit_unit" text DEFAULT 'working_day' NOT NULL,
	"committed_limit_days" integer NOT NULL,
	"committed_limit_unit" text DEFAULT 'working_day' NOT NULL,
	"project_type" text NOT NULL,
	"online_depth" text NOT NULL,
	"required_visits" integer NOT NULL,
	"service_objects" jsonb NOT NULL,
	"legal_basis" text DEFAULT '' NOT NULL,
	"limit_source" jsonb NOT NULL,
	"themes" jsonb NOT NULL,
	"channels" jsonb NOT NULL,
	"town_available" boolean DEFAULT false NOT NULL,
	"search_text" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"display_name" text NOT NULL,
	"kind" text NOT NULL,
	"roles" jsonb NOT NULL,
	"department_code" text,
	"id_number" text,
	"phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "application_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_id" uuid NOT NULL,
	"actor_name" text NOT NULL,
	"actor_role" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "application_events_seq" UNIQUE("application_id","seq")
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"item_code" text NOT NULL,
	"item_name" text NOT NULL,
	"applicant_id" uuid NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_kind" text NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"form" jsonb NOT NULL,
	"materials" jsonb NOT NULL,
	"department_code" text NOT NULL,
	"review_department_code" text NOT NULL,
	"decision_department_code" text NOT NULL,
	"committed_limit_days" integer NOT NULL,
	"committed_limit_unit" text DEFAULT 'working_day' NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"due_date" date,
	"due_date_provisional" boolean DEFAULT false NOT NULL,
	"completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	CONSTRAINT "applications_number_unique" UNIQUE("number"),
	CONSTRAINT "applications_idempotency" UNIQUE("applicant_id","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"outcome" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"department_code" text NOT NULL,
	"signer_id" uuid NOT NULL,
	"document" text NOT NULL,
	"digest_sm3" text NOT NULL,
	"seal_id" uuid NOT NULL,
	"seal_name" text NOT NULL,
	"signature_sm2" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"applicant_id" uuid NOT NULL,
	"rating" integer NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "evaluations_application_id_unique" UNIQUE("application_id")
);
--> statement-breakpoint
CREATE TABLE "seals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"department_code" text NOT NULL,
	"name" text NOT NULL,
	"seal_type" text DEFAULT '1' NOT NULL,
	"public_key" text NOT NULL,
	"private_key_enc" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hall_windows" ADD CONSTRAINT "hall_windows_hall_code_halls_code_fk" FOREIGN KEY ("hall_code") REFERENCES "public"."halls"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_materials" ADD CONSTRAINT "item_materials_item_code_service_items_code_fk" FOREIGN KEY ("item_code") REFERENCES "public"."service_items"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_events" ADD CONSTRAINT "application_events_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "service_items_department_idx" ON "service_items" USING btree ("department_code");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "applications_status_idx" ON "applications" USING btree ("status");--> statement-breakpoint
CREATE INDEX "applications_applicant_idx" ON "applications" USING btree ("applicant_id");--> statement-breakpoint
CREATE INDEX "applications_review_dept_idx" ON "applications" USING btree ("review_department_code","status");--> statement-breakpoint
CREATE INDEX "applications_decision_dept_idx" ON "applications" USING btree ("decision_department_code","status");--> statement-breakpoint
CREATE UNIQUE INDEX "seals_one_active" ON "seals" USING btree ("department_code") WHERE status = 'active';