import type { Database } from '../db/client';
import type { Permission, Role } from '../db/schema/roles';
import type { TenantPlan } from '../db/schema/tenants';
import type { AppEnv } from '../env';
import type { Logger } from '../lib/logger';

/**
 * The one convention for services: `service(ctx, input)`. `ctx` is the narrowest of the contexts
 * below that the service needs; a route passes `c.var.ctx`, a queue consumer or cron builds a
 * `TenantContext` with `loadTenantContext`. Services never see Hono types.
 */
export interface ServiceContext {
  db: Database;
  logger: Logger;
  /** Bindings, secrets and vars (typed by `wrangler types`, checked at the entry). */
  env: AppEnv;
}

/** The tenant a service acts for, with the settings every view needs, read once per request or job. */
export interface TenantInfo {
  id: string;
  plan: TenantPlan;
  /** IANA zone whose calendar days every view and rollup uses. */
  timezone: string;
  /** ISO 4217 reporting currency (default for summaries). */
  currency: string;
  /** Bumped after every sync; keys the KV caches. */
  dataVersion: number;
}

export interface TenantContext extends ServiceContext {
  tenant: TenantInfo;
}

/** The verified caller. Role and permissions come from the database on every request. */
export interface Actor {
  userId: string;
  role: Role;
  permissions: readonly Permission[];
}

/** What the authentication middleware builds once per request: `c.var.ctx`. */
export interface RequestContext extends TenantContext {
  actor: Actor;
  requestId: string;
}
