import { acceptInvite, changePassword, getMe } from '../../services/auth/account';
import { login } from '../../services/auth/login';
import { register } from '../../services/auth/register';
import { revokeSessionOf, rotateRefreshToken } from '../../services/auth/sessions';
import { createRouter } from '../router';
import { authServices, clientMeta } from './meta';
import { changePasswordRoute, logoutRoute, meRoute } from './protected';
import { acceptInviteRoute, loginRoute, refreshRoute, registerRoute } from './public';

/** Mounted at /api/auth (connect-amazon is a separate sub-app on the same prefix). */
export const authRoutes = createRouter()
  .openapi(registerRoute, async (c) =>
    c.json(await register(authServices(c), c.req.valid('json'), clientMeta(c)), 201),
  )
  .openapi(loginRoute, async (c) =>
    c.json(await login(authServices(c), c.req.valid('json'), clientMeta(c)), 200),
  )
  .openapi(refreshRoute, async (c) =>
    c.json(await rotateRefreshToken(authServices(c), c.req.valid('json').refreshToken, clientMeta(c)), 200),
  )
  .openapi(acceptInviteRoute, async (c) =>
    c.json(await acceptInvite(authServices(c), c.req.valid('json'), clientMeta(c)), 200),
  )
  .openapi(meRoute, async (c) => c.json(await getMe(authServices(c), c.var.auth), 200))
  .openapi(logoutRoute, async (c) => {
    await revokeSessionOf(c.var.db, c.var.auth, c.req.valid('json').refreshToken);
    return c.json({ success: true as const }, 200);
  })
  .openapi(changePasswordRoute, async (c) =>
    c.json(await changePassword(authServices(c), c.var.auth, c.req.valid('json'), clientMeta(c)), 200),
  );
