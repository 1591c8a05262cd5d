import { marketplaceById } from '../data/marketplaces';
import { offersAt } from '../data/offers';
import { findOrder } from '../data/orders';
import { productBySku, productsFor } from '../data/products';
import type { SandboxEnv } from '../env';
import { loadSeller } from '../lib/load-seller';
import { sellerStub } from '../lib/seller-stub';
import { requestedReportView } from '../reports/views';
import type { StoredReport } from '../state/types';
import { type DeliveryResult, deliver, type PendingNotification } from './deliver';
import type { NotificationType } from './envelope';
import {
  anyOfferChangedPayload,
  inventoryChangePayload,
  orderChangePayload,
  reportFinishedPayload,
} from './payloads';

export interface EmitRequest {
  type: NotificationType;
  orderId?: string;
  asin?: string;
  sku?: string;
  marketplaceId?: string;
  reportId?: string;
  reason?: string;
}

export class EmitError extends Error {}

/** Builds the notification a request names from the seller's current data and delivers it. */
export async function emit(
  env: SandboxEnv,
  sellerId: string,
  requests: EmitRequest[],
): Promise<DeliveryResult[]> {
  const now = Date.now();
  const { seller } = await loadSeller(env, sellerId, now);
  const pending: PendingNotification[] = [];
  for (const req of requests) {
    const mp = marketplaceById(req.marketplaceId ?? 'ATVPDKIKX0DER') ?? seller.marketplaces[0]!;
    switch (req.type) {
      case 'ORDER_CHANGE': {
        const order = req.orderId ? findOrder(seller, req.orderId) : undefined;
        if (!order) throw new EmitError(`Unknown orderId ${req.orderId ?? ''}`);
        pending.push({
          type: req.type,
          payload: orderChangePayload(seller, order, now, req.reason ?? 'OrderStatusChange'),
          eventMs: now,
        });
        break;
      }
      case 'ANY_OFFER_CHANGED': {
        const asin =
          req.asin ?? (req.sku ? productBySku(seller, req.sku)?.asin : productsFor(seller)[0]?.asin);
        if (!asin) throw new EmitError('asin or sku is required');
        pending.push({
          type: req.type,
          payload: anyOfferChangedPayload(seller, offersAt(seller, asin, mp, now), now, 'External'),
          eventMs: now,
        });
        break;
      }
      case 'FBA_INVENTORY_AVAILABILITY_CHANGES': {
        const product = req.sku
          ? productBySku(seller, req.sku)
          : productsFor(seller).find((p) => p.fulfillment === 'AFN');
        if (!product) throw new EmitError(`Unknown sku ${req.sku ?? ''}`);
        pending.push({
          type: req.type,
          payload: inventoryChangePayload(seller, product, [mp], now),
          eventMs: now,
        });
        break;
      }
      case 'REPORT_PROCESSING_FINISHED': {
        const report = req.reportId
          ? ((await sellerStub(env, sellerId).report(req.reportId)) as StoredReport | undefined)
          : undefined;
        if (!report) throw new EmitError(`Unknown reportId ${req.reportId ?? ''}`);
        const view = requestedReportView(sellerId, report, now).body;
        pending.push({
          type: req.type,
          payload: reportFinishedPayload(sellerId, {
            reportId: report.reportId,
            reportType: report.reportType,
            processingStatus: String(view.processingStatus),
            ...(typeof view.reportDocumentId === 'string' ? { reportDocumentId: view.reportDocumentId } : {}),
          }),
          eventMs: now,
        });
        break;
      }
      default:
        throw new EmitError(`Unsupported notification type ${String(req.type)}`);
    }
  }
  return deliver(env, sellerId, pending);
}
