import type { Context } from 'hono';
import type { Database } from './db/client';
import type { AppEnv } from './env';
import type { Logger } from './lib/logger';
import type { RequestContext, ServiceContext } from './services/context';

/**
 * @deprecated Use `c.var.ctx` (RequestContext). Kept only while routes outside auth and users
 * still read it; removed once none does.
 */
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
  /** @deprecated Use `ctx`. */
  auth: AuthContext;
  /** The service context of an authenticated request (see services/context.ts). */
  ctx: RequestContext;
}

export interface AppContext {
  Bindings: AppEnv;
  Variables: AppVariables;
}

/**
 * The service context of any request, signed in or not: what public routes (login, register,
 * refresh) pass to their services, and what the auth middleware extends into `c.var.ctx`.
 */
export function serviceContext(c: Context<AppContext>): ServiceContext {
  return { db: c.var.db, logger: c.var.logger, env: c.env };
}
