import { and, eq, sql } from 'drizzle-orm';
import type { ItemOffersPayload, MoneyV0 } from '../../amazon/sp-types';
import { queryRows } from '../../db/client';
import { competitorOffers, priceHistory, products } from '../../db/schema';
import { chunks, dedupeBy, upsertRows } from '../../db/upsert';
import { fromUnits, toUnits } from '../../lib/money';
import { type AlertInput, raiseAlerts, resolveAlerts } from '../alerts/raise';
import type { SyncContext, SyncOutcome } from './context';

const amount = (m?: MoneyV0): string | null =>
  m?.Amount !== undefined
    ? fromUnits(toUnits(m.Amount), 2)
    : m?.CurrencyAmount !== undefined
      ? fromUnits(toUnits(m.CurrencyAmount), 2)
      : null;

interface Listing {
  asin: string;
  marketplaceId: string;
  title: string | null;
  buyBoxStatus: string;
}

/** History points are hourly: re-running a sync within the hour rewrites the same point. */
const captureSlot = (now: Date) => new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);

export async function syncPricing(ctx: SyncContext): Promise<SyncOutcome> {
  const target = ctx.job.target ?? {};
  const listings = await ctx.db
    .select({
      asin: products.asin,
      marketplaceId: products.marketplaceId,
      title: products.title,
      buyBoxStatus: products.buyBoxStatus,
    })
    .from(products)
    .where(
      and(
        eq(products.tenantId, ctx.tenantId),
        eq(products.isActive, true),
        ...(typeof target.asin === 'string' ? [eq(products.asin, target.asin)] : []),
        ...(typeof target.marketplaceId === 'string'
          ? [eq(products.marketplaceId, target.marketplaceId)]
          : []),
      ),
    );
  if (typeof target.asin === 'string' && listings.length === 0 && typeof target.marketplaceId === 'string') {
    listings.push({
      asin: target.asin,
      marketplaceId: target.marketplaceId,
      title: null,
      buyBoxStatus: 'unknown',
    });
  }
  const results: { listing: Listing; payload: ItemOffersPayload }[] = [];
  let errors = 0;
  const warnings: string[] = [];
  if (listings.length === 1) {
    // One listing (a notification): the single call has a 5x better rate than the batch call.
    const [l] = listings;
    const res = await ctx.sp.getItemOffers(l!.asin, l!.marketplaceId);
    if (res.payload) results.push({ listing: l!, payload: res.payload });
  } else {
    let done = 0;
    for (const part of chunks(listings, 20)) {
      const res = await ctx.sp.getItemOffersBatch(
        part.map((l) => ({ asin: l.asin, marketplaceId: l.marketplaceId })),
      );
      res.responses.forEach((r, i) => {
        const payload = r.body?.payload;
        if (r.status?.statusCode === 200 && payload) results.push({ listing: part[i]!, payload });
        else {
          errors++;
          if (warnings.length < 5)
            warnings.push(
              `offers for ${part[i]!.asin} in ${part[i]!.marketplaceId}: status ${r.status?.statusCode}`,
            );
        }
      });
      done += part.length;
      await ctx.progress((done / listings.length) * 90, results.length);
    }
  }
  await writePricing(ctx, results);
  return { records: results.length, errors, warnings };
}

async function writePricing(
  ctx: SyncContext,
  results: { listing: Listing; payload: ItemOffersPayload }[],
): Promise<void> {
  if (results.length === 0) return;
  const now = new Date();
  const slot = captureSlot(now);
  const sellerId = ctx.credential.sellingPartnerId;
  const history = [];
  const offers = [];
  const productUpdates: {
    asin: string;
    marketplaceId: string;
    status: 'winner' | 'lost' | 'suppressed';
    buyBox: string | null;
    ourPrice: string | null;
    rank: number | null;
    currency: string | null;
  }[] = [];
  for (const { listing, payload } of results) {
    const all = payload.Offers ?? [];
    const winner = all.find((o) => o.IsBuyBoxWinner);
    const mine = all.find((o) => o.MyOffer || (sellerId && o.SellerId === sellerId));
    const buyBox = payload.Summary?.BuyBoxPrices?.[0];
    const currency =
      buyBox?.ListingPrice?.CurrencyCode ??
      mine?.ListingPrice?.CurrencyCode ??
      all[0]?.ListingPrice?.CurrencyCode ??
      null;
    const status = !winner ? 'suppressed' : winner === mine ? 'winner' : 'lost';
    const lowest = payload.Summary?.LowestPrices?.map((p) => amount(p.LandedPrice ?? p.ListingPrice)).filter(
      (v): v is string => v !== null,
    );
    const buyBoxPrice =
      amount(buyBox?.LandedPrice ?? buyBox?.ListingPrice) ?? (winner ? amount(winner.ListingPrice) : null);
    const rank = payload.Summary?.SalesRankings?.[0]?.Rank ?? null;
    history.push({
      tenantId: ctx.tenantId,
      asin: listing.asin,
      marketplaceId: listing.marketplaceId,
      capturedAt: slot,
      ourPrice: amount(mine?.ListingPrice),
      buyBoxPrice,
      lowestPrice:
        lowest && lowest.length > 0 ? lowest.reduce((a, b) => (toUnits(a) <= toUnits(b) ? a : b)) : null,
      currency,
      buyBoxWinner: status === 'winner',
      offerCount: payload.Summary?.TotalOfferCount ?? all.length,
      salesRank: rank,
    });
    for (const o of all) {
      if (!o.SellerId || !o.ListingPrice) continue;
      offers.push({
        tenantId: ctx.tenantId,
        asin: listing.asin,
        marketplaceId: listing.marketplaceId,
        sellerId: o.SellerId,
        price: amount(o.ListingPrice)!,
        shipping: amount(o.Shipping),
        currency: o.ListingPrice.CurrencyCode ?? currency ?? 'USD',
        isBuyBoxWinner: o.IsBuyBoxWinner ?? false,
        isFba: o.IsFulfilledByAmazon ?? false,
        feedbackRating:
          o.SellerFeedbackRating?.SellerPositiveFeedbackRating !== undefined
            ? String(o.SellerFeedbackRating.SellerPositiveFeedbackRating)
            : null,
        capturedAt: now,
      });
    }
    productUpdates.push({
      asin: listing.asin,
      marketplaceId: listing.marketplaceId,
      status,
      buyBox: buyBoxPrice,
      ourPrice: amount(mine?.ListingPrice),
      rank,
      currency,
    });
  }
  await upsertRows(ctx.db, priceHistory, history, {
    target: [priceHistory.tenantId, priceHistory.asin, priceHistory.marketplaceId, priceHistory.capturedAt],
    update: ['ourPrice', 'buyBoxPrice', 'lowestPrice', 'currency', 'buyBoxWinner', 'offerCount', 'salesRank'],
  });
  // Offers of sellers who left the listing are removed; the rest are overwritten.
  const pairs = sql.join(
    results.map((r) => sql`(${r.listing.asin}, ${r.listing.marketplaceId})`),
    sql`, `,
  );
  await ctx.db.execute(
    sql`DELETE FROM competitor_offers WHERE tenant_id = ${ctx.tenantId} AND (asin, marketplace_id) IN (${pairs}) AND captured_at < ${now.toISOString()}::timestamptz`,
  );
  await upsertRows(
    ctx.db,
    competitorOffers,
    dedupeBy(offers, (o) => `${o.asin}\u0000${o.marketplaceId}\u0000${o.sellerId}`),
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
  // One UPDATE for all listings; returns the previous buy box status to detect a loss.
  const values = sql.join(
    productUpdates.map(
      (u) =>
        sql`(${u.asin}, ${u.marketplaceId}, ${u.status}, ${u.buyBox}::numeric, ${u.ourPrice}::numeric, ${u.rank}::int, ${u.currency})`,
    ),
    sql`, `,
  );
  const changed = await queryRows<{
    asin: string;
    marketplace_id: string;
    title: string | null;
    status: string;
    previous: string;
    buy_box: string | null;
  }>(
    ctx.db,
    sql`UPDATE products p SET buy_box_status = v.status, buy_box_price = v.buy_box,
          price = coalesce(v.our_price, p.price), sales_rank = coalesce(v.rank, p.sales_rank),
          currency = coalesce(p.currency, v.currency), last_sync_at = now()
        FROM (VALUES ${values}) AS v(asin, marketplace_id, status, buy_box, our_price, rank, currency),
             products old
        WHERE p.tenant_id = ${ctx.tenantId} AND p.asin = v.asin AND p.marketplace_id = v.marketplace_id
          AND old.id = p.id
        RETURNING p.asin, p.marketplace_id, p.title, v.status, old.buy_box_status AS previous, v.buy_box::text AS buy_box`,
  );
  const lost: AlertInput[] = [];
  const regained: string[] = [];
  for (const c of changed) {
    const dedupeKey = `BUYBOX_LOST:${c.asin}:${c.marketplace_id}`;
    if (c.status === 'lost') {
      lost.push({
        type: 'BUYBOX_LOST',
        severity: 'high',
        title: `Buy box lost: ${c.title ?? c.asin}`,
        message: c.buy_box
          ? `Another seller holds the buy box at ${c.buy_box}`
          : 'Another seller holds the buy box',
        asin: c.asin,
        marketplaceId: c.marketplace_id,
        data: { previous: c.previous, buyBoxPrice: c.buy_box },
        dedupeKey,
      });
    } else if (c.status === 'winner') regained.push(dedupeKey);
  }
  await resolveAlerts(ctx.db, ctx.tenantId, regained, 'Buy box won back');
  await raiseAlerts(ctx.db, ctx.tenantId, lost);
}
