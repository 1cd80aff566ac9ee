ALTER TABLE "machines" ADD COLUMN "last_ip" varchar(45);--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "expected_machines" integer;--> statement-breakpoint
CREATE INDEX "machines_hostname_idx" ON "machines" USING btree ("hostname","id");--> statement-breakpoint
CREATE INDEX "machines_last_seen_idx" ON "machines" USING btree ("last_seen_at","id");--> statement-breakpoint
CREATE INDEX "machines_os_family_idx" ON "machines" USING btree ("os_family");--> statement-breakpoint
CREATE INDEX "machines_activation_idx" ON "machines" USING btree ("os_activation_status");--> statement-breakpoint
CREATE INDEX "machines_hostname_trgm_idx" ON "machines" USING gin ("hostname" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "machines_serial_trgm_idx" ON "machines" USING gin ("hardware_serial" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "machines_last_ip_idx" ON "machines" USING btree ("last_ip" text_pattern_ops);