import { Hono } from 'hono';
import { inventoryAt, reservedTotal, totalQuantity, unfulfillableTotal } from '../data/inventory';
import { marketplaceById } from '../data/marketplaces';
import { decodeToken, encodeToken } from '../data/order-query';
import { productsFor } from '../data/products';
import { invalidInput } from '../lib/errors';
import { listParam } from '../lib/params';
import { sellerStub } from '../lib/seller-stub';
import { type SpEnv, spGate } from '../lib/sp-gate';
import { iso } from '../lib/time';

/** FBA Inventory getInventorySummaries, 50 per page with nextToken like Amazon. */
export const inventory = new Hono<SpEnv>();

const PAGE = 50;
/** "The string token will expire 30 seconds after being created" (the model's nextToken). */
export const INVENTORY_TOKEN_TTL_MS = 30_000;

type PageToken = { o: number; exp: number };

inventory.get('/fba/inventory/v1/summaries', spGate('getInventorySummaries'), async (c) => {
  const seller = c.get('seller');
  if (c.req.query('granularityType') !== 'Marketplace')
    return invalidInput(c, 'granularityType must be Marketplace.');
  const granularityId = c.req.query('granularityId');
  const marketplaceIds = listParam(c, 'marketplaceIds');
  if (!granularityId || marketplaceIds.length !== 1)
    return invalidInput(c, 'granularityId and exactly one marketplaceIds value are required.');
  const mp = marketplaceById(marketplaceIds[0]!);
  if (!mp || granularityId !== mp.id) return invalidInput(c, `Invalid marketplaceId: ${marketplaceIds[0]}`);
  const details = c.req.query('details') === 'true';
  const skus = listParam(c, 'sellerSkus');
  if (skus.length > 50) return invalidInput(c, 'sellerSkus accepts at most 50 values.');
  const startDate = c.req.query('startDateTime');
  const nextToken = c.req.query('nextToken');
  let offset = 0;
  const now = Date.now();
  if (nextToken) {
    const t = decodeToken<PageToken>(nextToken);
    if (!t || typeof t.o !== 'number' || typeof t.exp !== 'number')
      return invalidInput(c, 'Invalid nextToken.');
    if (t.exp <= now) return invalidInput(c, 'The nextToken has expired.');
    offset = t.o;
  }
  const since = startDate ? Date.parse(startDate) : undefined;
  const all = productsFor(seller)
    .filter((p) => p.fulfillment === 'AFN' && (skus.length === 0 || skus.includes(p.sku)))
    .map((p) => ({ p, l: inventoryAt(seller, p, mp, now) }))
    .filter(({ l }) => since === undefined || l.lastUpdatedMs >= since);
  const page = all.slice(offset, offset + PAGE);
  const inventorySummaries = page.map(({ p, l }) => ({
    asin: p.asin,
    fnSku: p.fnSku,
    sellerSku: p.sku,
    condition: 'NewItem',
    ...(details
      ? {
          inventoryDetails: {
            fulfillableQuantity: l.fulfillable,
            inboundWorkingQuantity: l.inboundWorking,
            inboundShippedQuantity: l.inboundShipped,
            inboundReceivingQuantity: l.inboundReceiving,
            reservedQuantity: {
              totalReservedQuantity: reservedTotal(l),
              pendingCustomerOrderQuantity: l.reservedPendingOrders,
              pendingTransshipmentQuantity: l.reservedTransshipment,
              fcProcessingQuantity: l.reservedFcProcessing,
            },
            researchingQuantity: {
              totalResearchingQuantity: l.researching,
              researchingQuantityBreakdown: [
                { name: 'researchingQuantityInShortTerm', quantity: l.researching },
                { name: 'researchingQuantityInMidTerm', quantity: 0 },
                { name: 'researchingQuantityInLongTerm', quantity: 0 },
              ],
            },
            unfulfillableQuantity: {
              totalUnfulfillableQuantity: unfulfillableTotal(l),
              customerDamagedQuantity: l.unfulfillableCustomerDamaged,
              warehouseDamagedQuantity: l.unfulfillableWarehouseDamaged,
              distributorDamagedQuantity: 0,
              carrierDamagedQuantity: 0,
              defectiveQuantity: l.unfulfillableDefective,
              expiredQuantity: 0,
            },
          },
        }
      : {}),
    lastUpdatedTime: iso(l.lastUpdatedMs),
    productName: p.title,
    totalQuantity: totalQuantity(l),
  }));
  const body: Record<string, unknown> = {
    payload: { granularity: { granularityType: 'Marketplace', granularityId: mp.id }, inventorySummaries },
  };
  if (offset + PAGE < all.length) {
    // The expireInventoryTokens fault hands out tokens that are already out of date.
    const expired =
      (c.get('config').faults.expireInventoryTokens ?? 0) > 0 &&
      (await sellerStub(c.env, seller.id).spendFault('expireInventoryTokens'));
    const exp = expired ? now : now + INVENTORY_TOKEN_TTL_MS;
    body.pagination = { nextToken: encodeToken({ o: offset + PAGE, exp } satisfies PageToken) };
  }
  return c.json(body);
});
