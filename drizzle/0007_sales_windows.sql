CREATE TABLE "product_window_metrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"marketplace_id" text NOT NULL,
	"asin" text NOT NULL,
	"units" integer,
	"revenue" numeric(14, 2),
	"profit" numeric(14, 2),
	"in_stock_days" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "product_window_metrics_uq" UNIQUE("tenant_id","asin","marketplace_id")
);
--> statement-breakpoint
CREATE TABLE "sales_tenant_daily" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"marketplace_id" text NOT NULL,
	"date" date NOT NULL,
	"currency" char(3) NOT NULL,
	"units" integer DEFAULT 0 NOT NULL,
	"orders" integer DEFAULT 0 NOT NULL,
	"revenue" numeric(14, 2) DEFAULT '0' NOT NULL,
	"refunds" numeric(14, 2) DEFAULT '0' NOT NULL,
	"fees" numeric(14, 2) DEFAULT '0' NOT NULL,
	"cogs" numeric(14, 2) DEFAULT '0' NOT NULL,
	"promotions" numeric(14, 2) DEFAULT '0' NOT NULL,
	"listings" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_tenant_daily_uq" UNIQUE("tenant_id","date","marketplace_id","currency")
);
--> statement-breakpoint
CREATE TABLE "sales_window_state" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"as_of" date NOT NULL,
	"window_days" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "product_window_metrics" ADD CONSTRAINT "product_window_metrics_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_tenant_daily" ADD CONSTRAINT "sales_tenant_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_window_state" ADD CONSTRAINT "sales_window_state_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill: per-day tenant totals of the rollups already written.
INSERT INTO "sales_tenant_daily" ("tenant_id", "marketplace_id", "date", "currency", "units", "orders", "revenue", "refunds", "fees", "cogs", "promotions", "listings")
SELECT coalesce(d.tenant_id, h.tenant_id), coalesce(d.marketplace_id, h.marketplace_id), coalesce(d.date, h.date),
       coalesce(d.currency, h.currency), coalesce(d.units, 0), coalesce(h.orders, 0), coalesce(d.revenue, 0),
       coalesce(d.refunds, 0), coalesce(d.fees, 0), coalesce(d.cogs, 0), coalesce(d.promotions, 0), coalesce(d.listings, 0)
FROM (
  SELECT tenant_id, marketplace_id, date, currency, sum(units)::int AS units, sum(revenue) AS revenue,
         sum(refunds) AS refunds, sum(fees) AS fees, sum(cogs) AS cogs, sum(promotions) AS promotions, count(*)::int AS listings
  FROM "sales_daily" GROUP BY 1, 2, 3, 4
) d
FULL JOIN (
  SELECT tenant_id, marketplace_id, date, currency, sum(orders)::int AS orders
  FROM "sales_hourly" GROUP BY 1, 2, 3, 4
) h ON h.tenant_id = d.tenant_id AND h.marketplace_id = d.marketplace_id AND h.date = d.date AND h.currency = d.currency;
