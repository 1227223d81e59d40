ALTER TABLE "items" ADD COLUMN "changed_by" uuid;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "changed_at" bigint;