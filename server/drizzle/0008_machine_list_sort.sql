DROP INDEX "machines_last_seen_idx";--> statement-breakpoint
DROP INDEX "machines_os_family_idx";--> statement-breakpoint
DROP INDEX "machines_activation_idx";--> statement-breakpoint
CREATE INDEX "machines_last_seen_desc_idx" ON "machines" USING btree ("last_seen_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "machines_os_family_id_idx" ON "machines" USING btree ("os_family","id");--> statement-breakpoint
CREATE INDEX "machines_activation_id_idx" ON "machines" USING btree ("os_activation_status","id");