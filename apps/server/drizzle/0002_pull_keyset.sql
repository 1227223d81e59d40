DROP INDEX "items_list_id_idx";--> statement-breakpoint
DROP INDEX "memberships_list_id_idx";--> statement-breakpoint
DROP INDEX "notes_list_id_idx";--> statement-breakpoint
CREATE INDEX "items_list_id_version_idx" ON "items" USING btree ("list_id","version");--> statement-breakpoint
CREATE INDEX "memberships_list_id_version_idx" ON "memberships" USING btree ("list_id","version");--> statement-breakpoint
CREATE INDEX "notes_list_id_version_idx" ON "notes" USING btree ("list_id","version");