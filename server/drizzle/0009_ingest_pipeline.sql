CREATE TABLE "machine_compliance" (
	"machine_id" uuid PRIMARY KEY NOT NULL,
	"inventory_hash" varchar(64) NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "machine_software" DROP CONSTRAINT "machine_software_machine_id_machines_id_fk";
--> statement-breakpoint
ALTER TABLE "machine_compliance" ADD CONSTRAINT "machine_compliance_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- machine_software keeps ON DELETE CASCADE's effect without a per-row foreign-key check on insert (see schema.ts).
CREATE FUNCTION machine_software_delete_with_machine() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM machine_software WHERE machine_id = OLD.id;
  RETURN OLD;
END $$;
--> statement-breakpoint
CREATE TRIGGER machine_software_delete_with_machine AFTER DELETE ON machines
  FOR EACH ROW EXECUTE FUNCTION machine_software_delete_with_machine();
--> statement-breakpoint
-- Until now compliance was refreshed inside each ingest's transaction: every stored inventory is current.
INSERT INTO "machine_compliance" ("machine_id", "inventory_hash") SELECT "id", "inventory_hash" FROM "machines" WHERE "inventory_hash" IS NOT NULL;
--> statement-breakpoint
-- The software list is stored once, as machine_software rows (written with every inventory); drop the copy in the document.
UPDATE "machines" SET "inventory" = "inventory" - 'software' WHERE "inventory" ? 'software';
