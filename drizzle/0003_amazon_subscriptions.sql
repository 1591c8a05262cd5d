CREATE TABLE "amazon_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"selling_partner_id" text NOT NULL,
	"notification_type" text NOT NULL,
	"subscription_id" text NOT NULL,
	"destination_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "amazon_subscriptions_tenant_type_uq" UNIQUE("tenant_id","notification_type")
);
--> statement-breakpoint
ALTER TABLE "amazon_subscriptions" ADD CONSTRAINT "amazon_subscriptions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "amazon_subscriptions_subscription_idx" ON "amazon_subscriptions" USING btree ("subscription_id");