CREATE TABLE "idempotency_records" (
	"principal_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_records_principal_id_key_pk" PRIMARY KEY("principal_id","key")
);
