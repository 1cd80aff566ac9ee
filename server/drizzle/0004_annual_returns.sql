CREATE TABLE "annual_returns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"version" integer NOT NULL,
	"status" varchar(16) NOT NULL,
	"figures" jsonb NOT NULL,
	"previous_row" jsonb,
	"evidence" jsonb NOT NULL,
	"as_of" date NOT NULL,
	"staff_count" integer NOT NULL,
	"unit_name" varchar(200) NOT NULL,
	"head" varchar(64) NOT NULL,
	"liaison" varchar(64) NOT NULL,
	"contact" varchar(64) NOT NULL,
	"signed_on" date NOT NULL,
	"return_reason" text,
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "annual_returns" ADD CONSTRAINT "annual_returns_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_returns" ADD CONSTRAINT "annual_returns_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_returns" ADD CONSTRAINT "annual_returns_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "annual_returns_org_year_version_idx" ON "annual_returns" USING btree ("org_id","year","version");--> statement-breakpoint
CREATE INDEX "annual_returns_year_status_idx" ON "annual_returns" USING btree ("year","status");