import type { SyncType } from '../../messages';
import type { CredentialType } from '../amazon-account/credentials';
import { syncAds } from './ads/ads-sync';
import type { Syncer } from './engine/context';
import { syncFinance } from './finance/finance-sync';
import { syncInventory } from './inventory/inventory-sync';
import { syncOrders } from './orders/orders-sync';
import { syncPricing } from './pricing/pricing-sync';

/** Every sync type, the Amazon connection it reads through, and its run. */
export const SYNCERS: Record<SyncType, Syncer> = {
  orders: { credential: 'SPAPI', run: syncOrders },
  inventory: { credential: 'SPAPI', run: syncInventory },
  pricing: { credential: 'SPAPI', run: syncPricing },
  finance: { credential: 'SPAPI', run: syncFinance },
  ads: { credential: 'ADS', run: syncAds },
};

export const credentialFor = (type: SyncType): CredentialType => SYNCERS[type].credential;
