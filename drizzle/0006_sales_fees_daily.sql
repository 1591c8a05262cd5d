CREATE TABLE "sales_fees_daily" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"marketplace_id" text NOT NULL,
	"date" date NOT NULL,
	"currency" char(3) NOT NULL,
	"fee_line" text NOT NULL,
	"estimated" boolean NOT NULL,
	"amount" numeric(14, 4) DEFAULT '0' NOT NULL,
	"lines" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_fees_daily_uq" UNIQUE("tenant_id","marketplace_id","date","currency","fee_line","estimated")
);
--> statement-breakpoint
ALTER TABLE "sales_fees_daily" ADD CONSTRAINT "sales_fees_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sales_fees_daily_tenant_date_idx" ON "sales_fees_daily" USING btree ("tenant_id","date");