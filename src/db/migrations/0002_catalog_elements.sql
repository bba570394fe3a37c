ALTER TABLE "service_items" ALTER COLUMN "committed_limit_days" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ALTER COLUMN "committed_limit_days" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "item_materials" ADD COLUMN "kind" text DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE "item_materials" ADD COLUMN "license_type" text;--> statement-breakpoint
ALTER TABLE "item_materials" ADD COLUMN "conditional_allowed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "base_code" text;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "delegated_from" jsonb;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "limit_unknown" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "visit_reason" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "service_levels" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "appointment" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "kiosk_available" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "license_free" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "acceptance_conditions" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "fees" jsonb DEFAULT '{"charged":false}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "special_procedures" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "notification_commitment" jsonb DEFAULT '{"eligible":false}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "keywords" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "pinyin_initials" text DEFAULT '' NOT NULL;