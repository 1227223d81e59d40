CREATE TABLE "notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"clocks" jsonb NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"version" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"list_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "notes_version_idx" ON "notes" USING btree ("version");--> statement-breakpoint
CREATE INDEX "notes_list_id_idx" ON "notes" USING btree ("list_id");