import type { Context } from 'hono';
import type { AppContext } from '../../context';
import { clientIp } from '../../middleware/client-rate-limit';
import type { ClientMeta } from '../../services/auth/context';

export function clientMeta(c: Context<AppContext>): ClientMeta {
  return { userAgent: c.req.header('user-agent'), ip: clientIp(c) };
}

export function authServices(c: Context<AppContext>) {
  return { db: c.var.db, jwt: c.env, logger: c.var.logger };
}
