CREATE TABLE "catalog_rules" (
	"id" serial PRIMARY KEY NOT NULL,
	"name_pattern" varchar(300) NOT NULL,
	"publisher_pattern" varchar(300),
	"sources" varchar(16)[],
	"product_id" varchar(64),
	"edition" varchar(64),
	"note" varchar(500),
	"product" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "machine_products" (
	"machine_id" uuid NOT NULL,
	"product_id" varchar(64) NOT NULL,
	"edition" varchar(64),
	"source" varchar(16) NOT NULL,
	"evidence" varchar(512) NOT NULL,
	"version" varchar(128),
	CONSTRAINT "machine_products_machine_id_product_id_pk" PRIMARY KEY("machine_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "machine_unrecognised" (
	"machine_id" uuid NOT NULL,
	"name_key" varchar(512) NOT NULL,
	"publisher_key" varchar(256) DEFAULT '' NOT NULL,
	"name" varchar(512) NOT NULL,
	"publisher" varchar(256),
	CONSTRAINT "machine_unrecognised_machine_id_name_key_publisher_key_pk" PRIMARY KEY("machine_id","name_key","publisher_key")
);
--> statement-breakpoint
CREATE TABLE "licence_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"licence_id" uuid NOT NULL,
	"file_name" varchar(255) NOT NULL,
	"content_type" varchar(128) NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "licence_machines" (
	"licence_id" uuid NOT NULL,
	"machine_id" uuid NOT NULL,
	CONSTRAINT "licence_machines_licence_id_machine_id_pk" PRIMARY KEY("licence_id","machine_id")
);
--> statement-breakpoint
CREATE TABLE "licences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"product_id" varchar(64) NOT NULL,
	"type" varchar(24) NOT NULL,
	"quantity" integer NOT NULL,
	"licence_count" integer,
	"starts_on" date,
	"ends_on" date,
	"purchased_on" date,
	"contract_no" varchar(128),
	"invoice_no" varchar(128),
	"supplier" varchar(200),
	"amount_fen" bigint,
	"currency" varchar(3) DEFAULT 'CNY' NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" varchar(32) NOT NULL,
	"subject" varchar(200) NOT NULL,
	"message" varchar(2000) NOT NULL,
	"machine_id" uuid,
	"product_id" varchar(64),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid
);
--> statement-breakpoint
CREATE TABLE "compliance_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"approved_kms_hosts" varchar(255)[] DEFAULT '{}'::varchar[] NOT NULL,
	"webhook_url" varchar(1000),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "licence_positions" (
	"org_id" uuid NOT NULL,
	"product_id" varchar(64) NOT NULL,
	"group_id" varchar(64) NOT NULL,
	"installs" integer NOT NULL,
	"licences" integer,
	"covered" integer NOT NULL,
	"shortfall" integer NOT NULL,
	"surplus" integer,
	"seats_used" integer NOT NULL,
	"detail" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "licence_positions_org_id_product_id_pk" PRIMARY KEY("org_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "machine_findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"machine_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"code" varchar(64) NOT NULL,
	"subject" varchar(128) NOT NULL,
	"severity" varchar(16) NOT NULL,
	"origin" varchar(8) NOT NULL,
	"evidence" varchar(4096) NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "catalog_rules" ADD CONSTRAINT "catalog_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machine_products" ADD CONSTRAINT "machine_products_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machine_unrecognised" ADD CONSTRAINT "machine_unrecognised_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licence_attachments" ADD CONSTRAINT "licence_attachments_licence_id_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "public"."licences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licence_attachments" ADD CONSTRAINT "licence_attachments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licence_machines" ADD CONSTRAINT "licence_machines_licence_id_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "public"."licences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licence_machines" ADD CONSTRAINT "licence_machines_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licences" ADD CONSTRAINT "licences_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_settings" ADD CONSTRAINT "compliance_settings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licence_positions" ADD CONSTRAINT "licence_positions_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machine_findings" ADD CONSTRAINT "machine_findings_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machine_findings" ADD CONSTRAINT "machine_findings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "machine_products_product_id_idx" ON "machine_products" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "machine_unrecognised_key_idx" ON "machine_unrecognised" USING btree ("name_key","publisher_key");--> statement-breakpoint
CREATE INDEX "licence_attachments_licence_id_idx" ON "licence_attachments" USING btree ("licence_id");--> statement-breakpoint
CREATE INDEX "licence_machines_machine_id_idx" ON "licence_machines" USING btree ("machine_id");--> statement-breakpoint
CREATE INDEX "licences_org_product_idx" ON "licences" USING btree ("org_id","product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_idx" ON "alerts" USING btree ("org_id","kind","subject") WHERE acknowledged_at IS NULL;--> statement-breakpoint
CREATE INDEX "alerts_org_created_idx" ON "alerts" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "licence_positions_org_group_idx" ON "licence_positions" USING btree ("org_id","group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "machine_findings_open_idx" ON "machine_findings" USING btree ("machine_id","code","subject") WHERE closed_at IS NULL;--> statement-breakpoint
CREATE INDEX "machine_findings_org_idx" ON "machine_findings" USING btree ("org_id","closed_at");