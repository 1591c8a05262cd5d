// Set-based seeding for the API benchmark: every table is filled with INSERT … SELECT over
// generate_series, so a million orders take seconds on a real Postgres.

const CATEGORIES = [
  'Kitchen',
  'Garden',
  'Toys',
  'Tools',
  'Sports',
  'Beauty',
  'Books',
  'Pets',
  'Office',
  'Baby',
  'Automotive',
  'Health',
  'Home',
  'Music',
  'Outdoors',
  'Electronics',
  'Grocery',
  'Crafts',
  'Shoes',
  'Luggage',
];
const WORDS = [
  'blue',
  'steel',
  'bamboo',
  'organic',
  'compact',
  'deluxe',
  'travel',
  'classic',
  'smart',
  'mini',
  'widget',
  'bottle',
  'lamp',
  'brush',
  'mat',
  'case',
  'cable',
  'stand',
  'kit',
  'pack',
];
const STATES = ['CA', 'NY', 'TX', 'FL', 'WA', 'IL', 'PA', 'OH', 'GA', 'NC', 'MI', 'NJ', 'VA', 'AZ', 'MA'];
export const MARKETPLACE = 'ATVPDKIKX0DER';

const arr = (xs) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;

/** One tenant with an owner; returns their ids. */
export async function createTenant(sql, { name, timezone = 'America/Los_Angeles' }) {
  const [t] =
    await sql`INSERT INTO tenants (name, plan, timezone, currency) VALUES (${name}, 'PRO', ${timezone}, 'USD') RETURNING id`;
  const [u] =
    await sql`INSERT INTO users (tenant_id, email, full_name, role) VALUES (${t.id}, ${`owner-${t.id}@bench.test`}, 'Bench Owner', 'owner') RETURNING id`;
  return { tenantId: t.id, userId: u.id };
}

export async function seedProducts(sql, tenantId, count) {
  await sql.unsafe(
    `INSERT INTO products (tenant_id, asin, marketplace_id, sku, title, brand, category, fulfillment_channel, price, currency, cost,
       fba_stock, fbm_stock, inbound_stock, total_stock, sales_rank, buy_box_status, buy_box_price, is_active, min_stock_alert, max_stock,
       target_margin, updated_at)
     SELECT $1, 'B0' || lpad(i::text, 8, '0'), '${MARKETPLACE}', 'SKU-' || i,
            initcap((${arr(WORDS)})[1 + i % 20] || ' ' || (${arr(WORDS)})[1 + (i / 20) % 20] || ' ' || (${arr(WORDS)})[1 + (i / 400) % 20]) || ' ' || i,
            'Brand ' || (i % 50), (${arr(CATEGORIES)})[1 + i % 20], CASE WHEN i % 5 = 0 THEN 'FBM' ELSE 'FBA' END,
            round((5 + (i * 7919 % 9500) / 100.0)::numeric, 2), 'USD', round((2 + (i * 7919 % 9500) / 250.0)::numeric, 4),
            (i * 31) % 400, CASE WHEN i % 5 = 0 THEN (i * 17) % 50 ELSE 0 END, (i * 13) % 100, (i * 31) % 400 + (i * 13) % 100,
            1 + (i * 104729) % 200000,
            (ARRAY['winner','winner','winner','lost','suppressed'])[1 + i % 5], round((5 + (i * 7919 % 9500) / 100.0)::numeric, 2),
            i % 20 <> 0, CASE WHEN i % 3 = 0 THEN 20 END, CASE WHEN i % 3 = 0 THEN 500 END, CASE WHEN i % 4 = 0 THEN 25 END,
            now() - make_interval(mins => i)
     FROM generate_series(1, $2) AS i`,
    [tenantId, count],
  );
}

/**
 * `orders` orders spread over `days` days before now; one line each, a second line on every third.
 * Lines older than 14 days are settled and (within the last 120 days) have posted fee events.
 */
export async function seedOrders(sql, tenantId, { orders, products, days, prefix }) {
  await sql.unsafe(
    `INSERT INTO orders (tenant_id, amazon_order_id, marketplace_id, purchase_date, last_update_date, order_status,
       fulfillment_channel, order_total, currency, number_of_items, ship_city_hash, ship_state_code, ship_country_code, is_prime)
     SELECT $1, '${prefix}-' || lpad(i::text, 7, '0'), '${MARKETPLACE}', p, p,
            CASE WHEN i % 50 = 0 THEN 'Canceled' WHEN p > now() - interval '2 days' THEN 'Unshipped' ELSE 'Shipped' END,
            CASE WHEN i % 5 = 0 THEN 'MFN' ELSE 'AFN' END, round((10 + (i * 7919 % 9000) / 100.0)::numeric, 2), 'USD',
            1 + (i % 3 = 0)::int, md5('city' || (i % 500)), (${arr(STATES)})[1 + i % 15], 'US', i % 2 = 0
     FROM (SELECT i, now() - make_interval(secs => ((i::bigint * 2654435761) % ($2::bigint * 86400))::double precision) AS p
           FROM generate_series(1, $3::bigint) AS i) s`,
    [tenantId, days, orders],
  );
  await sql.unsafe(
    `INSERT INTO order_items (tenant_id, amazon_order_id, order_item_id, asin, sku, quantity, item_price, item_tax,
       promotion_discount, currency, fee_status, referral_fee, fba_fee, other_fees)
     SELECT o.tenant_id, o.amazon_order_id, o.amazon_order_id || '-' || n, 'B0' || lpad((1 + (i * 7 + n * 13) % $2)::text, 8, '0'),
            'SKU-' || (1 + (i * 7 + n * 13) % $2), 1 + (i + n) % 3, round((8 + ((i + n) * 7919 % 6000) / 100.0)::numeric, 2), 0,
            CASE WHEN i % 10 = 0 THEN 1.00 ELSE 0 END, 'USD',
            CASE WHEN o.purchase_date < now() - interval '14 days' THEN 'settled' ELSE 'estimated' END,
            round((8 + ((i + n) * 7919 % 6000) / 100.0)::numeric * 0.15, 4), 3.2200, 0
     FROM (SELECT o.*, substr(o.amazon_order_id, length('${prefix}') + 2)::bigint AS i FROM orders o WHERE o.tenant_id = $1) o
     CROSS JOIN LATERAL generate_series(1, o.number_of_items) AS n`,
    [tenantId, products],
  );
  await sql.unsafe(
    `INSERT INTO finance_events (tenant_id, event_id, source, event_type, amazon_order_id, asin, marketplace_id, posted_date, amount,
       currency, fee_type, category)
     SELECT i.tenant_id, i.order_item_id || ':' || f.kind, 'transactions', 'Shipment', i.amazon_order_id, i.asin, '${MARKETPLACE}',
            o.purchase_date + interval '3 days', CASE f.kind WHEN 'Commission' THEN -i.referral_fee ELSE -3.3000 END, 'USD', f.kind, 'fee'
     FROM order_items i JOIN orders o ON o.tenant_id = i.tenant_id AND o.amazon_order_id = i.amazon_order_id
     CROSS JOIN (VALUES ('Commission'), ('FBAPerUnitFulfillmentFee')) AS f(kind)
     WHERE i.tenant_id = $1 AND i.fee_status = 'settled' AND o.purchase_date > now() - interval '120 days'`,
    [tenantId],
  );
  // 2% of orders refunded a week after purchase, with the refund administration fee.
  await sql.unsafe(
    `INSERT INTO finance_events (tenant_id, event_id, source, event_type, amazon_order_id, asin, marketplace_id, posted_date, amount,
       currency, fee_type, category)
     SELECT i.tenant_id, i.order_item_id || ':refund:' || r.kind, 'transactions', 'Refund', i.amazon_order_id, i.asin, '${MARKETPLACE}',
            o.purchase_date + interval '7 days', CASE r.kind WHEN 'Principal' THEN -i.item_price ELSE -1.0000 END, 'USD', r.kind,
            CASE r.kind WHEN 'Principal' THEN 'refund' ELSE 'fee' END
     FROM order_items i JOIN orders o ON o.tenant_id = i.tenant_id AND o.amazon_order_id = i.amazon_order_id
     CROSS JOIN (VALUES ('Principal'), ('RefundCommission')) AS r(kind)
     WHERE i.tenant_id = $1 AND hashtext(i.amazon_order_id) % 50 = 0 AND o.purchase_date < now() - interval '7 days'`,
    [tenantId],
  );
  // Monthly storage fee and a subscription fee.
  await sql.unsafe(
    `INSERT INTO finance_events (tenant_id, event_id, source, event_type, posted_date, amount, currency, fee_type, category)
     SELECT $1, 'acct:' || m || ':' || k, 'transactions', 'ServiceFee', date_trunc('month', now()) - make_interval(months => m) + interval '7 days',
            CASE k WHEN 'FBAStorageFee' THEN -850.0000 ELSE -39.9900 END, 'USD', k, 'fee'
     FROM generate_series(0, $2 / 30) AS m CROSS JOIN (VALUES ('FBAStorageFee'), ('Subscription')) AS x(k)`,
    [tenantId, days],
  );
}

export async function seedInventoryAndPricing(sql, tenantId, products) {
  await sql.unsafe(
    `INSERT INTO inventory_history (tenant_id, asin, marketplace_id, date, fulfillable, total)
     SELECT $1, 'B0' || lpad(i::text, 8, '0'), '${MARKETPLACE}', (now() - make_interval(days => d))::date,
            CASE WHEN (i + d) % 11 = 0 THEN 0 ELSE (i * 31) % 400 END, (i * 31) % 400
     FROM generate_series(1, $2) AS i CROSS JOIN generate_series(0, 29) AS d`,
    [tenantId, products],
  );
  await sql.unsafe(
    `INSERT INTO price_history (tenant_id, asin, marketplace_id, captured_at, our_price, buy_box_price, currency, sales_rank, offer_count)
     SELECT $1, 'B0' || lpad(i::text, 8, '0'), '${MARKETPLACE}', date_trunc('hour', now()) - make_interval(days => d),
            round((5 + ((i + d) * 7919 % 9500) / 100.0)::numeric, 2), round((5 + ((i + d) * 7919 % 9500) / 100.0)::numeric, 2), 'USD',
            1 + ((i + d) * 104729) % 200000, 3
     FROM generate_series(1, $2) AS i CROSS JOIN generate_series(0, 29) AS d`,
    [tenantId, products],
  );
  await sql.unsafe(
    `INSERT INTO competitor_offers (tenant_id, asin, marketplace_id, seller_id, price, currency, is_buy_box_winner, is_fba)
     SELECT $1, 'B0' || lpad(i::text, 8, '0'), '${MARKETPLACE}', 'SELLER' || s, round((5 + ((i + s) * 7919 % 9500) / 100.0)::numeric, 2), 'USD',
            s = 1, s % 2 = 0
     FROM generate_series(1, $2) AS i CROSS JOIN generate_series(1, 3) AS s`,
    [tenantId, products],
  );
  await sql.unsafe(
    `INSERT INTO alerts (tenant_id, type, severity, title, asin, dedupe_key)
     SELECT $1, 'STOCK_LOW', (ARRAY['low','medium','high','critical'])[1 + i % 4], 'Stock low on B0' || lpad(i::text, 8, '0'),
            'B0' || lpad(i::text, 8, '0'), 'STOCK_LOW:' || i
     FROM generate_series(1, 50) AS i`,
    [tenantId],
  );
}

/** `campaigns` campaigns with one ad group, two keywords and two product ads each; a year of daily metrics, 30 days hourly. */
export async function seedAds(sql, tenantId, { campaigns, days }) {
  await sql.unsafe(
    `INSERT INTO ad_profiles (tenant_id, profile_id, marketplace_id, country_code, currency, is_selected)
     VALUES ($1, 'P1', '${MARKETPLACE}', 'US', 'USD', true)`,
    [tenantId],
  );
  await sql.unsafe(
    `INSERT INTO ad_campaigns (tenant_id, profile_id, campaign_id, name, campaign_type, state, daily_budget, currency)
     SELECT $1, 'P1', 'C' || c, 'Campaign ' || c, (ARRAY['SP','SP','SB','SD'])[1 + c % 4], (ARRAY['enabled','enabled','paused','archived'])[1 + c % 4], 50, 'USD'
     FROM generate_series(1, $2) AS c`,
    [tenantId, campaigns],
  );
  await sql.unsafe(
    `INSERT INTO ad_groups (tenant_id, campaign_id, ad_group_id, name, state) SELECT $1, 'C' || c, 'G' || c, 'Group ' || c, 'enabled' FROM generate_series(1, $2) AS c`,
    [tenantId, campaigns],
  );
  await sql.unsafe(
    `INSERT INTO ad_keywords (tenant_id, campaign_id, ad_group_id, keyword_id, keyword_text, match_type, state)
     SELECT $1, 'C' || c, 'G' || c, 'K' || c || '-' || k, 'keyword ' || c || ' ' || k, 'EXACT', 'enabled'
     FROM generate_series(1, $2) AS c CROSS JOIN generate_series(1, 2) AS k`,
    [tenantId, campaigns],
  );
  const metric = (level, entity, extra, cols) =>
    sql.unsafe(
      `INSERT INTO ad_metrics_daily (tenant_id, profile_id, level, entity_id, campaign_id, ad_group_id, keyword_id, ad_id, asin, date,
         impressions, clicks, cost, sales_7d, orders_7d, units_7d, currency)
       SELECT $1, 'P1', '${level}', ${entity}, 'C' || c, ${cols}, (now() - make_interval(days => d))::date,
              100 + (c * 37 + d * 11) % 900, 1 + (c + d) % 30, round((1 + ((c * 7 + d) % 40))::numeric, 2),
              round((((c * 13 + d) % 120))::numeric, 2), (c + d) % 6, (c + d) % 7, 'USD'
       FROM generate_series(1, $2) AS c ${extra} CROSS JOIN generate_series(0, $3 - 1) AS d`,
      [tenantId, campaigns, days],
    );
  await metric('campaign', `'C' || c`, '', 'NULL, NULL, NULL, NULL');
  await metric('ad_group', `'G' || c`, '', `'G' || c, NULL, NULL, NULL`);
  await metric(
    'keyword',
    `'K' || c || '-' || k`,
    'CROSS JOIN generate_series(1, 2) AS k',
    `'G' || c, 'K' || c || '-' || k, NULL, NULL`,
  );
  await metric(
    'product',
    `'AD' || c || '-' || k`,
    'CROSS JOIN generate_series(1, 2) AS k',
    `'G' || c, NULL, 'AD' || c || '-' || k, 'B0' || lpad((c * 10 + k)::text, 8, '0')`,
  );
  await sql.unsafe(
    `INSERT INTO ad_metrics_hourly (tenant_id, profile_id, level, entity_id, campaign_id, hour, impressions, clicks, cost, sales_7d, orders_7d, currency)
     SELECT $1, 'P1', 'campaign', 'C' || c, 'C' || c, date_trunc('hour', now()) - make_interval(hours => h),
            10 + (c + h) % 90, (c + h) % 4, round((((c + h) % 5) * 0.5)::numeric, 2), round((((c * 3 + h) % 12))::numeric, 2), (c + h) % 2, 'USD'
     FROM generate_series(1, $2) AS c CROSS JOIN generate_series(0, 24 * 30 - 1) AS h`,
    [tenantId, campaigns],
  );
}
