import { makeSeller, type Seller } from '../data/seller';
import type { SandboxEnv } from '../env';
import type { SellerConfig } from '../state/types';
import { sellerStub } from './seller-stub';

/** The seller's generator input (size overrides, added orders, price changes) from its Durable Object. */
export async function loadSeller(
  env: SandboxEnv,
  sellerId: string,
  nowMs = Date.now(),
): Promise<{ seller: Seller; config: SellerConfig }> {
  const config = await sellerStub(env, sellerId).config();
  return { seller: sellerFromConfig(sellerId, config, nowMs), config };
}

export function sellerFromConfig(sellerId: string, config: SellerConfig, nowMs = Date.now()): Seller {
  return makeSeller(sellerId, {
    ...(config.size ? { size: config.size } : {}),
    extraOrders: config.extraOrders,
    priceChanges: config.priceChanges,
    nowMs,
  });
}
