import { marketplaceById } from '../data/marketplaces';
import { offersAt } from '../data/offers';
import { findOrder } from '../data/orders';
import { productBySku, productsFor } from '../data/products';
import type { Seller } from '../data/seller';
import type { SandboxEnv } from '../env';
import { sellerFromConfig } from '../lib/load-seller';
import { sellerStub } from '../lib/seller-stub';
import { requestedReportView } from '../reports/views';
import type { SellerConfig, StoredReport } from '../state/types';
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

/** What the notifications are built from: the seller's config and the reports the requests name. */
export interface SellerSnapshot {
  sellerId: string;
  config: SellerConfig;
  reports: StoredReport[];
}

/**
 * For callers outside the seller's Durable Object: reads its config and the named reports through
 * its stub, then builds and delivers the notifications.
 */
export async function emit(
  env: SandboxEnv,
  sellerId: string,
  requests: EmitRequest[],
): Promise<DeliveryResult[]> {
  const stub = sellerStub(env, sellerId);
  const config = await stub.config();
  const reportIds = requests.flatMap((r) =>
    r.type === 'REPORT_PROCESSING_FINISHED' && r.reportId ? [r.reportId] : [],
  );
  const reports: StoredReport[] = [];
  for (const id of reportIds) {
    const report = await stub.report(id);
    if (report) reports.push(report);
  }
  return emitFromSnapshot(env, { sellerId, config, reports }, requests);
}

/**
 * Builds the notification each request names from the seller's current data and delivers it. The
 * Durable Object's alarm calls this with its own state, so it makes no RPC back into itself.
 */
export async function emitFromSnapshot(
  env: SandboxEnv,
  snapshot: SellerSnapshot,
  requests: EmitRequest[],
): Promise<DeliveryResult[]> {
  const now = Date.now();
  const seller = sellerFromConfig(snapshot.sellerId, snapshot.config, now);
  const pending: PendingNotification[] = requests.map((req) => ({
    type: req.type,
    payload: payloadFor(seller, snapshot, req, now),
    eventMs: now,
  }));
  return deliver(env, snapshot.sellerId, pending, snapshot.config.faults);
}

function payloadFor(
  seller: Seller,
  { sellerId, reports }: SellerSnapshot,
  req: EmitRequest,
  now: number,
): Record<string, unknown> {
  const mp = marketplaceById(req.marketplaceId ?? 'ATVPDKIKX0DER') ?? seller.marketplaces[0]!;
  switch (req.type) {
    case 'ORDER_CHANGE': {
      const order = req.orderId ? findOrder(seller, req.orderId) : undefined;
      if (!order) throw new EmitError(`Unknown orderId ${req.orderId ?? ''}`);
      return orderChangePayload(seller, order, now, req.reason ?? 'OrderStatusChange');
    }
    case 'ANY_OFFER_CHANGED': {
      const asin = req.asin ?? (req.sku ? productBySku(seller, req.sku)?.asin : productsFor(seller)[0]?.asin);
      if (!asin) throw new EmitError('asin or sku is required');
      return anyOfferChangedPayload(seller, offersAt(seller, asin, mp, now), now, 'External');
    }
    case 'FBA_INVENTORY_AVAILABILITY_CHANGES': {
      const product = req.sku
        ? productBySku(seller, req.sku)
        : productsFor(seller).find((p) => p.fulfillment === 'AFN');
      if (!product) throw new EmitError(`Unknown sku ${req.sku ?? ''}`);
      return inventoryChangePayload(seller, product, [mp], now);
    }
    case 'REPORT_PROCESSING_FINISHED': {
      const report = reports.find((r) => r.reportId === req.reportId);
      if (!report) throw new EmitError(`Unknown reportId ${req.reportId ?? ''}`);
      const view = requestedReportView(sellerId, report, now).body;
      return reportFinishedPayload(sellerId, {
        reportId: report.reportId,
        reportType: report.reportType,
        processingStatus: String(view.processingStatus),
        ...(typeof view.reportDocumentId === 'string' ? { reportDocumentId: view.reportDocumentId } : {}),
      });
    }
    default:
      throw new EmitError(`Unsupported notification type ${String(req.type)}`);
  }
}
