CREATE TABLE "machine_retirements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"machine_id" uuid NOT NULL,
	"retired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_by" uuid,
	"reason" varchar(500) NOT NULL,
	"restored_at" timestamp with time zone,
	"restored_by" uuid,
	"restore_reason" varchar(500)
);
--> statement-breakpoint
ALTER TABLE "machines" ADD COLUMN "registered_by" uuid;--> statement-breakpoint
ALTER TABLE "machines" ADD COLUMN "asset_tag" varchar(64);--> statement-breakpoint
ALTER TABLE "machines" ADD COLUMN "department" varchar(128);--> statement-breakpoint
ALTER TABLE "machines" ADD COLUMN "note" varchar(500);--> statement-breakpoint
ALTER TABLE "machines" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "machine_retirements" ADD CONSTRAINT "machine_retirements_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machine_retirements" ADD CONSTRAINT "machine_retirements_retired_by_users_id_fk" FOREIGN KEY ("retired_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machine_retirements" ADD CONSTRAINT "machine_retirements_restored_by_users_id_fk" FOREIGN KEY ("restored_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "machine_retirements_machine_idx" ON "machine_retirements" USING btree ("machine_id","retired_at");--> statement-breakpoint
CREATE UNIQUE INDEX "machine_retirements_open_idx" ON "machine_retirements" USING btree ("machine_id") WHERE "machine_retirements"."restored_at" IS NULL;--> statement-breakpoint
ALTER TABLE "machines" ADD CONSTRAINT "machines_registered_by_users_id_fk" FOREIGN KEY ("registered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "machines_org_asset_tag_idx" ON "machines" USING btree ("org_id","asset_tag") WHERE "machines"."asset_tag" IS NOT NULL;