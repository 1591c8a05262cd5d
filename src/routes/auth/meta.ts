import type { Context } from 'hono';
import type { AppContext } from '../../context';
import { clientIp } from '../../middleware/client-rate-limit';
import type { ClientMeta } from '../../services/auth/sessions';

/** The client details stored beside a new refresh token. */
export function clientMeta(c: Context<AppContext>): ClientMeta {
  return { userAgent: c.req.header('user-agent'), ip: clientIp(c) };
}
