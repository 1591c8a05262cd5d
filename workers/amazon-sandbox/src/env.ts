import type { SellerStore } from './state/seller-store';

/** Bindings and vars of the sandbox Worker (see wrangler.toml). */
export interface SandboxEnv {
  // Typed by the state class, not by the bound `SellerState`, whose alarm imports `notify/`
  // (which holds stubs of this namespace): that would be an import cycle.
  SELLER_STATE: DurableObjectNamespace<SellerStore>;
  LWA_CLIENT_ID: string;
  LWA_CLIENT_SECRET: string;
  SP_APPLICATION_ID: string;
  DEFAULT_SELLER_ID: string;
  REPORT_QUEUE_SECONDS: string;
  REPORT_PROCESSING_SECONDS: string;
  ADS_REPORT_SECONDS: string;
  RATE_LIMIT_MODE: string;
}

export type AppBindings = { Bindings: SandboxEnv; Variables: { sellerId: string; requestId: string } };
