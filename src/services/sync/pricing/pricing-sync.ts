import { and, eq, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ItemOffersPayload } from '../../../amazon/sp-types';
import { competitorOffers, priceHistory, products } from '../../../db/schema';
import { chunks, dedupeBy, upsertRows } from '../../../db/upsert';
import { raiseAlerts, resolveAlerts } from '../../alerts/raise';
import type { SpSyncContext, SyncOutcome } from '../engine/context';
import {
  buyBoxAlerts,
  captureSlot,
  type MappedOffers,
  mapOffers,
  type PricedProduct,
  type ProductPricing,
} from './pricing-map';

interface Listing {
  asin: string;
  marketplaceId: string;
}

interface Fetched {
  listing: Listing;
  payload: ItemOffersPayload;
}

/** Active listings, or the one listing a notification is about (even before inventory knows it). */
async function listingsToPrice(ctx: SpSyncContext): Promise<Listing[]> {
  const { asin, marketplaceId } = ctx.run.target;
  const listings = await ctx.db
    .select({ asin: products.asin, marketplaceId: products.marketplaceId })
    .from(products)
    .where(
      and(
        eq(products.tenantId, ctx.tenant.id),
        eq(products.isActive, true),
        ...(typeof asin === 'string' ? [eq(products.asin, asin)] : []),
        ...(typeof marketplaceId === 'string' ? [eq(products.marketplaceId, marketplaceId)] : []),
      ),
    );
  if (listings.length === 0 && typeof asin === 'string' && typeof marketplaceId === 'string')
    return [{ asin, marketplaceId }];
  return listings;
}

/** Offers per listing; a listing the batch call could not answer counts as an error. */
async function fetchOffers(
  ctx: SpSyncContext,
  listings: Listing[],
): Promise<{ fetched: Fetched[]; errors: number; warnings: string[] }> {
  const fetched: Fetched[] = [];
  const warnings: string[] = [];
  let errors = 0;
  const [only] = listings;
  if (listings.length === 1 && only) {
    // One listing (a notification): the single call has a 5x better rate than the batch call.
    const res = await ctx.sp.getItemOffers(only.asin, only.marketplaceId);
    if (res.payload) fetched.push({ listing: only, payload: res.payload });
    return { fetched, errors, warnings };
  }
  let done = 0;
  for (const part of chunks(listings, 20)) {
    const res = await ctx.sp.getItemOffersBatch(
      part.map((l) => ({ asin: l.asin, marketplaceId: l.marketplaceId })),
    );
    part.forEach((listing, i) => {
      const r = res.responses[i];
      const payload = r?.body?.payload;
      if (r?.status?.statusCode === 200 && payload) fetched.push({ listing, payload });
      else {
        errors++;
        if (warnings.length < 5)
          warnings.push(
            `offers for ${listing.asin} in ${listing.marketplaceId}: status ${r?.status?.statusCode}`,
          );
      }
    });
    done += part.length;
    await ctx.run.progress((done / listings.length) * 90, fetched.length);
  }
  return { fetched, errors, warnings };
}

export async function syncPricing(ctx: SpSyncContext): Promise<SyncOutcome> {
  const { fetched, errors, warnings } = await fetchOffers(ctx, await listingsToPrice(ctx));
  const now = new Date();
  const scope = {
    tenantId: ctx.tenant.id,
    sellerId: ctx.credential.sellingPartnerId,
    slot: captureSlot(now),
    now,
  };
  const mapped = fetched.map(({ listing, payload }) => mapOffers(payload, { ...scope, ...listing }));
  if (mapped.length > 0) await writePricing(ctx, mapped, now);
  return { records: fetched.length, errors, warnings };
}

async function writePricing(ctx: SpSyncContext, mapped: MappedOffers[], now: Date): Promise<void> {
  await upsertRows(
    ctx.db,
    priceHistory,
    mapped.map((m) => m.history),
    {
      target: [priceHistory.tenantId, priceHistory.asin, priceHistory.marketplaceId, priceHistory.capturedAt],
      update: [
        'ourPrice',
        'buyBoxPrice',
        'lowestPrice',
        'currency',
        'buyBoxWinner',
        'offerCount',
        'salesRank',
      ],
    },
  );
  await replaceOffers(ctx, mapped, now);
  const { raise, resolve } = buyBoxAlerts(
    await updateProducts(
      ctx,
      mapped.map((m) => m.product),
    ),
  );
  await resolveAlerts(ctx.db, ctx.tenant.id, resolve, 'Buy box won back');
  await raiseAlerts(ctx.db, ctx.tenant.id, raise);
}

/** Offers of sellers who left the listing are removed; the rest are overwritten. */
async function replaceOffers(ctx: SpSyncContext, mapped: MappedOffers[], now: Date): Promise<void> {
  const pairs = sql.join(
    mapped.map((m) => sql`(${m.product.asin}, ${m.product.marketplaceId})`),
    sql`, `,
  );
  await ctx.db
    .delete(competitorOffers)
    .where(
      and(
        eq(competitorOffers.tenantId, ctx.tenant.id),
        sql`(${competitorOffers.asin}, ${competitorOffers.marketplaceId}) IN (${pairs})`,
        lt(competitorOffers.capturedAt, now),
      ),
    );
  await upsertRows(
    ctx.db,
    competitorOffers,
    dedupeBy(
      mapped.flatMap((m) => m.offers),
      (o) => `${o.asin}\u0000${o.marketplaceId}\u0000${o.sellerId}`,
    ),
    {
      target: [
        competitorOffers.tenantId,
        competitorOffers.asin,
        competitorOffers.marketplaceId,
        competitorOffers.sellerId,
      ],
      update: ['price', 'shipping', 'currency', 'isBuyBoxWinner', 'isFba', 'feedbackRating', 'capturedAt'],
    },
  );
}

/** One UPDATE for all listings; returns each product with its previous buy box status. */
async function updateProducts(ctx: SpSyncContext, updates: ProductPricing[]): Promise<PricedProduct[]> {
  const values = sql.join(
    updates.map(
      (u) =>
        sql`(${u.asin}, ${u.marketplaceId}, ${u.status}, ${u.buyBox}::numeric, ${u.ourPrice}::numeric, ${u.rank}::int, ${u.currency})`,
    ),
    sql`, `,
  );
  // The same row under another name keeps the value from before this statement.
  const before = alias(products, 'before');
  return ctx.db
    .update(products)
    .set({
      buyBoxStatus: sql`v.status`,
      buyBoxPrice: sql`v.buy_box`,
      price: sql`coalesce(v.our_price, ${products.price})`,
      salesRank: sql`coalesce(v.rank, ${products.salesRank})`,
      currency: sql`coalesce(${products.currency}, v.currency)`,
      lastSyncAt: sql`now()`,
    })
    .from(
      sql`(VALUES ${values}) AS v(asin, marketplace_id, status, buy_box, our_price, rank, currency), ${products} AS ${sql.identifier('before')}`,
    )
    .where(
      and(
        eq(products.tenantId, ctx.tenant.id),
        sql`${products.asin} = v.asin AND ${products.marketplaceId} = v.marketplace_id`,
        eq(before.id, products.id),
      ),
    )
    .returning({
      asin: products.asin,
      marketplaceId: products.marketplaceId,
      title: products.title,
      status: sql<string>`v.status`,
      previous: before.buyBoxStatus,
      buyBox: sql<string | null>`v.buy_box::text`,
    });
}
