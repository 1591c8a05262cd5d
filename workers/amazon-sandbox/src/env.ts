import type { SellerState } from './state/seller-state';

/** Bindings and vars of the sandbox Worker (see wrangler.toml). */
export interface SandboxEnv {
  SELLER_STATE: DurableObjectNamespace<SellerState>;
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
