CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"plan" text DEFAULT 'STARTER' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"currency" char(3) DEFAULT 'USD' NOT NULL,
	"language" text DEFAULT 'en-US' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_plan_check" CHECK ("tenants"."plan" IN ('STARTER', 'PRO', 'ENTERPRISE')),
	CONSTRAINT "tenants_status_check" CHECK ("tenants"."status" IN ('active', 'suspended'))
);
--> statement-breakpoint
CREATE TABLE "role_permissions" (
	"role" text NOT NULL,
	"permission" text NOT NULL,
	CONSTRAINT "role_permissions_pk" PRIMARY KEY("role","permission"),
	CONSTRAINT "role_permissions_role_check" CHECK ("role_permissions"."role" IN ('owner', 'admin', 'analyst', 'viewer'))
);
--> statement-breakpoint
CREATE TABLE "invite_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invite_tokens_token_hash_uq" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"family_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"replaced_by" uuid,
	"user_agent" text,
	"ip_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refresh_tokens_token_hash_uq" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"email" text NOT NULL,
	"password_hash" text,
	"full_name" text NOT NULL,
	"phone" text,
	"role" text DEFAULT 'viewer' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_login_at" timestamp with time zone,
	"password_changed_at" timestamp with time zone,
	"failed_login_count" integer DEFAULT 0 NOT NULL,
	"last_failed_login_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"lockout_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_check" CHECK ("users"."role" IN ('owner', 'admin', 'analyst', 'viewer'))
);
--> statement-breakpoint
CREATE TABLE "amazon_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"type" text NOT NULL,
	"selling_partner_id" text,
	"region" text NOT NULL,
	"marketplace_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"encrypted_refresh_token" text NOT NULL,
	"token_iv" text NOT NULL,
	"key_version" integer NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_error" text,
	"last_used_at" timestamp with time zone,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "amazon_credentials_tenant_type_uq" UNIQUE("tenant_id","type"),
	CONSTRAINT "amazon_credentials_type_check" CHECK ("amazon_credentials"."type" IN ('SPAPI', 'ADS')),
	CONSTRAINT "amazon_credentials_region_check" CHECK ("amazon_credentials"."region" IN ('na', 'eu', 'fe'))
);
--> statement-breakpoint
CREATE TABLE "marketplaces" (
	"id" text PRIMARY KEY NOT NULL,
	"country_code" char(2) NOT NULL,
	"name" text NOT NULL,
	"currency" char(3) NOT NULL,
	"region" text NOT NULL,
	"default_timezone" text NOT NULL,
	CONSTRAINT "marketplaces_region_check" CHECK ("marketplaces"."region" IN ('na', 'eu', 'fe'))
);
--> statement-breakpoint
CREATE TABLE "tenant_marketplaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"marketplace_id" text NOT NULL,
	"seller_id" text,
	"participating" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_marketplaces_tenant_marketplace_uq" UNIQUE("tenant_id","marketplace_id")
);
--> statement-breakpoint
CREATE TABLE "competitor_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"asin" text NOT NULL,
	"marketplace_id" text NOT NULL,
	"seller_id" text NOT NULL,
	"price" numeric(14, 2) NOT NULL,
	"shipping" numeric(14, 2),
	"currency" char(3) NOT NULL,
	"is_buy_box_winner" boolean DEFAULT false NOT NULL,
	"is_fba" boolean DEFAULT false NOT NULL,
	"feedback_rating" numeric(5, 2),
	"captured_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competitor_offers_tenant_asin_mkt_seller_uq" UNIQUE("tenant_id","asin","marketplace_id","seller_id")
);
--> statement-breakpoint
CREATE TABLE "inventory_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"asin" text NOT NULL,
	"marketplace_id" text NOT NULL,
	"sku" text,
	"date" date NOT NULL,
	"fulfillable" integer DEFAULT 0 NOT NULL,
	"inbound" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"unfulfillable" integer DEFAULT 0 NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_history_tenant_asin_mkt_date_uq" UNIQUE("tenant_id","asin","marketplace_id","date")
);
--> statement-breakpoint
CREATE TABLE "price_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"asin" text NOT NULL,
	"marketplace_id" text NOT NULL,
	"captured_at" timestamp with time zone NOT NULL,
	"our_price" numeric(14, 2),
	"buy_box_price" numeric(14, 2),
	"lowest_price" numeric(14, 2),
	"currency" char(3),
	"buy_box_winner" boolean,
	"offer_count" integer,
	"sales_rank" integer,
	CONSTRAINT "price_history_tenant_asin_mkt_captured_uq" UNIQUE("tenant_id","asin","marketplace_id","captured_at")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"asin" text NOT NULL,
	"marketplace_id" text NOT NULL,
	"sku" text,
	"title" text,
	"brand" text,
	"category" text,
	"image_url" text,
	"fulfillment_channel" text,
	"price" numeric(14, 2),
	"currency" char(3),
	"cost" numeric(14, 4),
	"fba_stock" integer DEFAULT 0 NOT NULL,
	"fbm_stock" integer DEFAULT 0 NOT NULL,
	"inbound_stock" integer DEFAULT 0 NOT NULL,
	"reserved_stock" integer DEFAULT 0 NOT NULL,
	"total_stock" integer DEFAULT 0 NOT NULL,
	"sales_rank" integer,
	"buy_box_status" text DEFAULT 'unknown' NOT NULL,
	"buy_box_price" numeric(14, 2),
	"is_active" boolean DEFAULT true NOT NULL,
	"listing_status" text,
	"min_stock_alert" integer,
	"max_stock" integer,
	"target_margin" numeric(5, 2),
	"lead_time_days" integer DEFAULT 30 NOT NULL,
	"safety_stock_days" integer DEFAULT 7 NOT NULL,
	"notes" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_sync_at" timestamp with time zone,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', coalesce("title", '') || ' ' || "asin" || ' ' || coalesce("sku", ''))) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_tenant_asin_marketplace_uq" UNIQUE("tenant_id","asin","marketplace_id"),
	CONSTRAINT "products_fulfillment_channel_check" CHECK ("products"."fulfillment_channel" IN ('FBA', 'FBM')),
	CONSTRAINT "products_buy_box_status_check" CHECK ("products"."buy_box_status" IN ('winner', 'lost', 'suppressed', 'unknown')),
	CONSTRAINT "products_target_margin_check" CHECK ("products"."target_margin" BETWEEN 0 AND 100),
	CONSTRAINT "products_stock_limits_check" CHECK ("products"."min_stock_alert" >= 0 AND "products"."max_stock" > "products"."min_stock_alert")
);
--> statement-breakpoint
CREATE TABLE "order_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"amazon_order_id" text NOT NULL,
	"order_item_id" text NOT NULL,
	"asin" text NOT NULL,
	"sku" text,
	"title" text,
	"quantity" integer DEFAULT 0 NOT NULL,
	"item_price" numeric(14, 2),
	"item_tax" numeric(14, 2),
	"shipping_price" numeric(14, 2),
	"promotion_discount" numeric(14, 2),
	"currency" char(3),
	"fee_status" text DEFAULT 'estimated' NOT NULL,
	"referral_fee" numeric(14, 4),
	"fba_fee" numeric(14, 4),
	"other_fees" numeric(14, 4),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_items_tenant_order_item_uq" UNIQUE("tenant_id","amazon_order_id","order_item_id"),
	CONSTRAINT "order_items_fee_status_check" CHECK ("order_items"."fee_status" IN ('estimated', 'settled')),
	CONSTRAINT "order_items_quantity_check" CHECK ("order_items"."quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"amazon_order_id" text NOT NULL,
	"marketplace_id" text NOT NULL,
	"purchase_date" timestamp with time zone NOT NULL,
	"last_update_date" timestamp with time zone NOT NULL,
	"order_status" text NOT NULL,
	"fulfillment_channel" text,
	"sales_channel" text,
	"order_total" numeric(14, 2),
	"currency" char(3),
	"number_of_items" integer DEFAULT 0 NOT NULL,
	"is_business_order" boolean DEFAULT false NOT NULL,
	"is_prime" boolean DEFAULT false NOT NULL,
	"ship_city_hash" text,
	"ship_state_code" text,
	"ship_country_code" text,
	"tracking_number" text,
	"carrier" text,
	"estimated_delivery" timestamp with time zone,
	"promotion_discount" numeric(14, 2),
	"tax" numeric(14, 2),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_tenant_amazon_order_id_uq" UNIQUE("tenant_id","amazon_order_id"),
	CONSTRAINT "orders_status_check" CHECK ("orders"."order_status" IN ('Pending', 'Unshipped', 'PartiallyShipped', 'Shipped', 'Canceled', 'Unfulfillable', 'InvoiceUnconfirmed', 'PendingAvailability')),
	CONSTRAINT "orders_fulfillment_channel_check" CHECK ("orders"."fulfillment_channel" IN ('AFN', 'MFN'))
);
--> statement-breakpoint
CREATE TABLE "exchange_rates" (
	"date" date NOT NULL,
	"base" char(3) NOT NULL,
	"quote" char(3) NOT NULL,
	"rate" numeric(18, 8) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exchange_rates_pk" PRIMARY KEY("date","base","quote")
);
--> statement-breakpoint
CREATE TABLE "finance_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"source" text NOT NULL,
	"event_type" text NOT NULL,
	"amazon_order_id" text,
	"asin" text,
	"sku" text,
	"marketplace_id" text,
	"posted_date" timestamp with time zone NOT NULL,
	"amount" numeric(14, 4) NOT NULL,
	"currency" char(3) NOT NULL,
	"fee_type" text,
	"category" text NOT NULL,
	"settlement_id" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "finance_events_tenant_event_id_uq" UNIQUE("tenant_id","event_id"),
	CONSTRAINT "finance_events_source_check" CHECK ("finance_events"."source" IN ('events_v0', 'transactions', 'settlement')),
	CONSTRAINT "finance_events_category_check" CHECK ("finance_events"."category" IN ('revenue', 'fee', 'refund', 'advertising', 'shipping', 'promotion', 'tax', 'other'))
);
--> statement-breakpoint
CREATE TABLE "settlements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"settlement_id" text NOT NULL,
	"start_date" timestamp with time zone,
	"end_date" timestamp with time zone,
	"deposit_date" timestamp with time zone,
	"total_amount" numeric(14, 2),
	"currency" char(3),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlements_tenant_settlement_id_uq" UNIQUE("tenant_id","settlement_id")
);
--> statement-breakpoint
CREATE TABLE "ad_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"profile_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"name" text NOT NULL,
	"campaign_type" text NOT NULL,
	"targeting_type" text,
	"state" text NOT NULL,
	"daily_budget" numeric(14, 2),
	"currency" char(3),
	"start_date" date,
	"end_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_campaigns_tenant_campaign_uq" UNIQUE("tenant_id","campaign_id"),
	CONSTRAINT "ad_campaigns_type_check" CHECK ("ad_campaigns"."campaign_type" IN ('SP', 'SB', 'SD')),
	CONSTRAINT "ad_campaigns_state_check" CHECK ("ad_campaigns"."state" IN ('enabled', 'paused', 'archived'))
);
--> statement-breakpoint
CREATE TABLE "ad_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"campaign_id" text NOT NULL,
	"ad_group_id" text NOT NULL,
	"name" text NOT NULL,
	"state" text NOT NULL,
	"default_bid" numeric(14, 4),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_groups_tenant_ad_group_uq" UNIQUE("tenant_id","ad_group_id"),
	CONSTRAINT "ad_groups_state_check" CHECK ("ad_groups"."state" IN ('enabled', 'paused', 'archived'))
);
--> statement-breakpoint
CREATE TABLE "ad_keywords" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"campaign_id" text NOT NULL,
	"ad_group_id" text,
	"keyword_id" text NOT NULL,
	"keyword_text" text NOT NULL,
	"match_type" text,
	"state" text NOT NULL,
	"bid" numeric(14, 4),
	"is_negative" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_keywords_tenant_keyword_uq" UNIQUE("tenant_id","keyword_id"),
	CONSTRAINT "ad_keywords_state_check" CHECK ("ad_keywords"."state" IN ('enabled', 'paused', 'archived'))
);
--> statement-breakpoint
CREATE TABLE "ad_metrics_daily" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"profile_id" text NOT NULL,
	"level" text NOT NULL,
	"entity_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"ad_group_id" text,
	"keyword_id" text,
	"ad_id" text,
	"asin" text,
	"impressions" bigint DEFAULT 0 NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"cost" numeric(14, 2) DEFAULT '0' NOT NULL,
	"sales_7d" numeric(14, 2) DEFAULT '0' NOT NULL,
	"orders_7d" integer DEFAULT 0 NOT NULL,
	"units_7d" integer DEFAULT 0 NOT NULL,
	"currency" char(3),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"date" date NOT NULL,
	CONSTRAINT "ad_metrics_daily_tenant_level_entity_date_uq" UNIQUE("tenant_id","level","entity_id","date"),
	CONSTRAINT "ad_metrics_daily_level_check" CHECK ("ad_metrics_daily"."level" IN ('campaign', 'ad_group', 'keyword', 'product'))
);
--> statement-breakpoint
CREATE TABLE "ad_metrics_hourly" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"profile_id" text NOT NULL,
	"level" text NOT NULL,
	"entity_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"ad_group_id" text,
	"keyword_id" text,
	"ad_id" text,
	"asin" text,
	"impressions" bigint DEFAULT 0 NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"cost" numeric(14, 2) DEFAULT '0' NOT NULL,
	"sales_7d" numeric(14, 2) DEFAULT '0' NOT NULL,
	"orders_7d" integer DEFAULT 0 NOT NULL,
	"units_7d" integer DEFAULT 0 NOT NULL,
	"currency" char(3),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	CONSTRAINT "ad_metrics_hourly_tenant_level_entity_hour_uq" UNIQUE("tenant_id","level","entity_id","hour"),
	CONSTRAINT "ad_metrics_hourly_level_check" CHECK ("ad_metrics_hourly"."level" IN ('campaign', 'ad_group', 'keyword', 'product'))
);
--> statement-breakpoint
CREATE TABLE "ad_product_ads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"campaign_id" text NOT NULL,
	"ad_group_id" text NOT NULL,
	"ad_id" text NOT NULL,
	"asin" text,
	"sku" text,
	"state" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_product_ads_tenant_ad_uq" UNIQUE("tenant_id","ad_id"),
	CONSTRAINT "ad_product_ads_state_check" CHECK ("ad_product_ads"."state" IN ('enabled', 'paused', 'archived'))
);
--> statement-breakpoint
CREATE TABLE "ad_profiles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"profile_id" text NOT NULL,
	"marketplace_id" text,
	"country_code" text,
	"currency" char(3),
	"timezone" text,
	"account_name" text,
	"is_selected" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_profiles_tenant_profile_uq" UNIQUE("tenant_id","profile_id")
);
--> statement-breakpoint
CREATE TABLE "sales_daily" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"marketplace_id" text NOT NULL,
	"date" date NOT NULL,
	"asin" text NOT NULL,
	"units" integer DEFAULT 0 NOT NULL,
	"orders" integer DEFAULT 0 NOT NULL,
	"revenue" numeric(14, 2) DEFAULT '0' NOT NULL,
	"refunds" numeric(14, 2) DEFAULT '0' NOT NULL,
	"fees" numeric(14, 2) DEFAULT '0' NOT NULL,
	"cogs" numeric(14, 2) DEFAULT '0' NOT NULL,
	"promotions" numeric(14, 2) DEFAULT '0' NOT NULL,
	"currency" char(3) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_daily_tenant_mkt_date_asin_uq" UNIQUE("tenant_id","marketplace_id","date","asin")
);
--> statement-breakpoint
CREATE TABLE "sales_geo_daily" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"marketplace_id" text NOT NULL,
	"date" date NOT NULL,
	"country_code" text DEFAULT '' NOT NULL,
	"state_code" text DEFAULT '' NOT NULL,
	"orders" integer DEFAULT 0 NOT NULL,
	"revenue" numeric(14, 2) DEFAULT '0' NOT NULL,
	"currency" char(3) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_geo_daily_tenant_mkt_date_geo_uq" UNIQUE("tenant_id","marketplace_id","date","country_code","state_code")
);
--> statement-breakpoint
CREATE TABLE "sales_hourly" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"marketplace_id" text NOT NULL,
	"date" date NOT NULL,
	"hour" smallint NOT NULL,
	"orders" integer DEFAULT 0 NOT NULL,
	"units" integer DEFAULT 0 NOT NULL,
	"revenue" numeric(14, 2) DEFAULT '0' NOT NULL,
	"currency" char(3) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_hourly_tenant_mkt_date_hour_uq" UNIQUE("tenant_id","marketplace_id","date","hour"),
	CONSTRAINT "sales_hourly_hour_check" CHECK ("sales_hourly"."hour" BETWEEN 0 AND 23)
);
--> statement-breakpoint
CREATE TABLE "alert_settings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"channels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"schedule" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_settings_tenant_uq" UNIQUE("tenant_id")
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"type" text NOT NULL,
	"severity" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"title" text NOT NULL,
	"message" text,
	"asin" text,
	"marketplace_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dedupe_key" text,
	"is_read" boolean DEFAULT false NOT NULL,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alerts_severity_check" CHECK ("alerts"."severity" IN ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "alerts_status_check" CHECK ("alerts"."status" IN ('active', 'acknowledged', 'resolved'))
);
--> statement-breakpoint
CREATE TABLE "notifications_received" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"notification_id" text NOT NULL,
	"tenant_id" uuid NOT NULL,
	"notification_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"sync_job_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_received_notification_id_uq" UNIQUE("notification_id")
);
--> statement-breakpoint
CREATE TABLE "sync_cursors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"type" text NOT NULL,
	"cursor_at" timestamp with time zone,
	"cursor" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_cursors_tenant_type_uq" UNIQUE("tenant_id","type"),
	CONSTRAINT "sync_cursors_type_check" CHECK ("sync_cursors"."type" IN ('orders', 'inventory', 'pricing', 'finance', 'ads'))
);
--> statement-breakpoint
CREATE TABLE "sync_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"type" text NOT NULL,
	"trigger" text NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"range_start" timestamp with time zone,
	"range_end" timestamp with time zone,
	"target" jsonb,
	"progress" integer DEFAULT 0 NOT NULL,
	"records_processed" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"error_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_jobs_type_check" CHECK ("sync_jobs"."type" IN ('orders', 'inventory', 'pricing', 'finance', 'ads')),
	CONSTRAINT "sync_jobs_trigger_check" CHECK ("sync_jobs"."trigger" IN ('manual', 'schedule', 'notification', 'connect')),
	CONSTRAINT "sync_jobs_priority_check" CHECK ("sync_jobs"."priority" IN ('low', 'normal', 'high')),
	CONSTRAINT "sync_jobs_status_check" CHECK ("sync_jobs"."status" IN ('queued', 'processing', 'success', 'partial', 'failed')),
	CONSTRAINT "sync_jobs_progress_check" CHECK ("sync_jobs"."progress" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE TABLE "activity_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid,
	"action" text NOT NULL,
	"entity_type" text,
	"entity_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid,
	"to_address" text NOT NULL,
	"template" text NOT NULL,
	"subject" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "email_outbox_status_check" CHECK ("email_outbox"."status" IN ('pending', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid,
	"kind" text NOT NULL,
	"format" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"r2_key" text,
	"size_bytes" bigint,
	"row_count" integer,
	"expires_at" timestamp with time zone,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "exports_format_check" CHECK ("exports"."format" IN ('csv', 'xlsx', 'json')),
	CONSTRAINT "exports_status_check" CHECK ("exports"."status" IN ('queued', 'processing', 'ready', 'failed', 'expired'))
);
--> statement-breakpoint
ALTER TABLE "invite_tokens" ADD CONSTRAINT "invite_tokens_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invite_tokens" ADD CONSTRAINT "invite_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amazon_credentials" ADD CONSTRAINT "amazon_credentials_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_marketplaces" ADD CONSTRAINT "tenant_marketplaces_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competitor_offers" ADD CONSTRAINT "competitor_offers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_history" ADD CONSTRAINT "inventory_history_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_history" ADD CONSTRAINT "price_history_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_fk" FOREIGN KEY ("tenant_id","amazon_order_id") REFERENCES "public"."orders"("tenant_id","amazon_order_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_events" ADD CONSTRAINT "finance_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlements" ADD CONSTRAINT "settlements_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_campaigns" ADD CONSTRAINT "ad_campaigns_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_groups" ADD CONSTRAINT "ad_groups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_keywords" ADD CONSTRAINT "ad_keywords_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_metrics_daily" ADD CONSTRAINT "ad_metrics_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_metrics_hourly" ADD CONSTRAINT "ad_metrics_hourly_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_product_ads" ADD CONSTRAINT "ad_product_ads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_profiles" ADD CONSTRAINT "ad_profiles_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_daily" ADD CONSTRAINT "sales_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_geo_daily" ADD CONSTRAINT "sales_geo_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_hourly" ADD CONSTRAINT "sales_hourly_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_settings" ADD CONSTRAINT "alert_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications_received" ADD CONSTRAINT "notifications_received_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications_received" ADD CONSTRAINT "notifications_received_sync_job_id_sync_jobs_id_fk" FOREIGN KEY ("sync_job_id") REFERENCES "public"."sync_jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_cursors" ADD CONSTRAINT "sync_cursors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_jobs" ADD CONSTRAINT "sync_jobs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_log" ADD CONSTRAINT "activity_log_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_log" ADD CONSTRAINT "activity_log_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exports" ADD CONSTRAINT "exports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exports" ADD CONSTRAINT "exports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invite_tokens_tenant_user_idx" ON "invite_tokens" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_tenant_user_idx" ON "refresh_tokens" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_family_idx" ON "refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_uq" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "users_tenant_idx" ON "users" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "products_tenant_sku_idx" ON "products" USING btree ("tenant_id","sku");--> statement-breakpoint
CREATE INDEX "idx_products_tenant_active" ON "products" USING btree ("tenant_id","is_active");--> statement-breakpoint
CREATE INDEX "idx_products_search" ON "products" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "order_items_tenant_asin_idx" ON "order_items" USING btree ("tenant_id","asin");--> statement-breakpoint
CREATE INDEX "idx_orders_tenant_date" ON "orders" USING btree ("tenant_id","purchase_date" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_tenant_last_update_idx" ON "orders" USING btree ("tenant_id","last_update_date");--> statement-breakpoint
CREATE INDEX "idx_finance_events_date" ON "finance_events" USING btree ("tenant_id","posted_date" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "finance_events_tenant_order_idx" ON "finance_events" USING btree ("tenant_id","amazon_order_id") WHERE "finance_events"."amazon_order_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "ad_campaigns_tenant_profile_idx" ON "ad_campaigns" USING btree ("tenant_id","profile_id");--> statement-breakpoint
CREATE INDEX "ad_groups_tenant_campaign_idx" ON "ad_groups" USING btree ("tenant_id","campaign_id");--> statement-breakpoint
CREATE INDEX "ad_keywords_tenant_ad_group_idx" ON "ad_keywords" USING btree ("tenant_id","ad_group_id");--> statement-breakpoint
CREATE INDEX "ad_metrics_daily_tenant_date_idx" ON "ad_metrics_daily" USING btree ("tenant_id","date");--> statement-breakpoint
CREATE INDEX "ad_metrics_daily_tenant_campaign_date_idx" ON "ad_metrics_daily" USING btree ("tenant_id","campaign_id","date");--> statement-breakpoint
CREATE INDEX "ad_metrics_daily_tenant_asin_date_idx" ON "ad_metrics_daily" USING btree ("tenant_id","asin","date") WHERE "ad_metrics_daily"."asin" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "ad_metrics_hourly_tenant_hour_idx" ON "ad_metrics_hourly" USING btree ("tenant_id","hour");--> statement-breakpoint
CREATE INDEX "ad_product_ads_tenant_asin_idx" ON "ad_product_ads" USING btree ("tenant_id","asin");--> statement-breakpoint
CREATE INDEX "sales_daily_tenant_date_idx" ON "sales_daily" USING btree ("tenant_id","date");--> statement-breakpoint
CREATE INDEX "sales_daily_tenant_asin_date_idx" ON "sales_daily" USING btree ("tenant_id","asin","date");--> statement-breakpoint
CREATE INDEX "sales_geo_daily_tenant_date_idx" ON "sales_geo_daily" USING btree ("tenant_id","date");--> statement-breakpoint
CREATE INDEX "sales_hourly_tenant_date_idx" ON "sales_hourly" USING btree ("tenant_id","date");--> statement-breakpoint
CREATE INDEX "idx_alerts_tenant_status" ON "alerts" USING btree ("tenant_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_tenant_dedupe_active_uq" ON "alerts" USING btree ("tenant_id","dedupe_key") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "notifications_received_tenant_received_idx" ON "notifications_received" USING btree ("tenant_id","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sync_jobs_tenant_queued_idx" ON "sync_jobs" USING btree ("tenant_id","queued_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sync_jobs_tenant_status_idx" ON "sync_jobs" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "activity_log_tenant_created_idx" ON "activity_log" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "email_outbox_tenant_created_idx" ON "email_outbox" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "email_outbox_pending_idx" ON "email_outbox" USING btree ("created_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "exports_tenant_created_idx" ON "exports" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "exports_expires_idx" ON "exports" USING btree ("expires_at") WHERE status = 'ready';