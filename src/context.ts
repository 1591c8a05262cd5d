import type { Context } from 'hono';
import type { Database } from './db/client';
import type { AppEnv } from './env';
import type { Logger } from './lib/logger';
import type { RequestContext, ServiceContext } from './services/context';

export interface AppVariables {
  requestId: string;
  logger: Logger;
  db: Database;
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
