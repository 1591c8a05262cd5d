import type { Database } from './db/client';
import type { AppEnv } from './env';
import type { Logger } from './lib/logger';
import type { RequestContext } from './services/context';

/** The verified caller, set by the authentication middleware. Tenant always comes from here. */
export interface AuthContext {
  userId: string;
  tenantId: string;
  role: string;
  permissions: readonly string[];
  plan: string;
  /** The tenant's data version, read with the user on every request; keys the KV caches. */
  dataVersion: number;
}

export interface AppVariables {
  requestId: string;
  logger: Logger;
  db: Database;
  auth: AuthContext;
  /** The service context of an authenticated request (see services/context.ts). */
  ctx: RequestContext;
}

export interface AppContext {
  Bindings: AppEnv;
  Variables: AppVariables;
}
