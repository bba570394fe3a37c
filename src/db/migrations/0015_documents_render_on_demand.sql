ALTER TABLE "documents" ALTER COLUMN "pdf" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ALTER COLUMN "pdf_sm3" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ALTER COLUMN "pdf_signature" DROP NOT NULL;