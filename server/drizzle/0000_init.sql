CREATE TYPE "public"."org_kind" AS ENUM('bureau', 'zone', 'unit');--> statement-breakpoint
CREATE TYPE "public"."report_kind" AS ENUM('full', 'delta');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector');--> statement-breakpoint
CREATE TABLE "agent_reports" (
	"agent_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"machine_id" uuid NOT NULL,
	"kind" "report_kind" NOT NULL,
	"hash" varchar(64) NOT NULL,
	"base_hash" varchar(64),
	"rows_upserted" integer NOT NULL,
	"rows_removed" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_reports_agent_id_seq_pk" PRIMARY KEY("agent_id","seq")
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"machine_id" uuid NOT NULL,
	"secret_hash" varchar(64) NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"platform" varchar(16) NOT NULL,
	"agent_version" varchar(64) NOT NULL,
	"enrollment_token_id" uuid,
	"enrolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "enrollment_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"label" varchar(128) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"max_uses" integer,
	"uses" integer DEFAULT 0 NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "machine_software" (
	"machine_id" uuid NOT NULL,
	"key" varchar(650) NOT NULL,
	"software_id" varchar(512) NOT NULL,
	"name" varchar(512) NOT NULL,
	"version" varchar(128),
	"publisher" varchar(256),
	"install_date" varchar(10),
	"source" varchar(8) NOT NULL,
	"hive" varchar(128),
	"arch" varchar(32),
	CONSTRAINT "machine_software_machine_id_key_pk" PRIMARY KEY("machine_id","key")
);
--> statement-breakpoint
CREATE TABLE "machines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"hostname" varchar(255) NOT NULL,
	"hardware_uuid" varchar(64),
	"hardware_serial" varchar(128),
	"hardware_vendor" varchar(256),
	"hardware_model" varchar(512),
	"os_machine_id" varchar(64),
	"macs" varchar(17)[] DEFAULT '{}'::varchar[] NOT NULL,
	"os_family" varchar(32),
	"os_product" varchar(512),
	"os_edition" varchar(64),
	"os_version" varchar(128),
	"os_build" varchar(128),
	"os_arch" varchar(32),
	"os_kernel" varchar(128),
	"os_activation_status" varchar(32),
	"os_activation_channel" varchar(32),
	"os_kms_host" varchar(255),
	"os_activation_expires" varchar(40),
	"agent_version" varchar(64),
	"inventory" jsonb,
	"inventory_hash" varchar(64),
	"evidence_sha256" varchar(64),
	"software_count" integer DEFAULT 0 NOT NULL,
	"collected_at" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "orgs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"parent_id" uuid,
	"kind" "org_kind" NOT NULL,
	"name" varchar(200) NOT NULL,
	"credit_code" varchar(18),
	"sector" varchar(64),
	"region" varchar(128),
	"head" varchar(64),
	"liaison" varchar(64),
	"phone" varchar(64),
	"path" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" varchar(64) PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" varchar(64) PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" varchar(64) NOT NULL,
	"password_hash" text NOT NULL,
	"org_id" uuid NOT NULL,
	"role" "user_role" NOT NULL,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "agent_reports" ADD CONSTRAINT "agent_reports_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_reports" ADD CONSTRAINT "agent_reports_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_enrollment_token_id_enrollment_tokens_id_fk" FOREIGN KEY ("enrollment_token_id") REFERENCES "public"."enrollment_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment_tokens" ADD CONSTRAINT "enrollment_tokens_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machine_software" ADD CONSTRAINT "machine_software_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines" ADD CONSTRAINT "machines_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orgs" ADD CONSTRAINT "orgs_parent_id_orgs_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_reports_machine_id_idx" ON "agent_reports" USING btree ("machine_id");--> statement-breakpoint
CREATE INDEX "agents_org_id_idx" ON "agents" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "agents_machine_id_idx" ON "agents" USING btree ("machine_id");--> statement-breakpoint
CREATE UNIQUE INDEX "enrollment_tokens_token_hash_idx" ON "enrollment_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "enrollment_tokens_org_id_idx" ON "enrollment_tokens" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "machines_org_id_idx" ON "machines" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "machines_hardware_uuid_idx" ON "machines" USING btree ("hardware_uuid");--> statement-breakpoint
CREATE INDEX "machines_hardware_serial_idx" ON "machines" USING btree ("hardware_serial");--> statement-breakpoint
CREATE INDEX "machines_os_machine_id_idx" ON "machines" USING btree ("os_machine_id");--> statement-breakpoint
CREATE INDEX "orgs_parent_id_idx" ON "orgs" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orgs_path_idx" ON "orgs" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "sessions_user_id_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_idx" ON "users" USING btree ("username");--> statement-breakpoint
CREATE INDEX "users_org_id_idx" ON "users" USING btree ("org_id");