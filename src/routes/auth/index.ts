import { serviceContext } from '../../context';
import { acceptInvite, changePassword, getMe } from '../../services/auth/account';
import { login } from '../../services/auth/login';
import { register } from '../../services/auth/register';
import { logout, rotateRefreshToken } from '../../services/auth/sessions';
import { createRouter } from '../router';
import { clientMeta } from './meta';
import { changePasswordRoute, logoutRoute, meRoute } from './protected';
import { acceptInviteRoute, loginRoute, refreshRoute, registerRoute } from './public';

/** Mounted at /api/auth (connect-amazon is a separate sub-app on the same prefix). */
export const authRoutes = createRouter()
  .openapi(registerRoute, async (c) =>
    c.json(await register(serviceContext(c), { ...c.req.valid('json'), client: clientMeta(c) }), 201),
  )
  .openapi(loginRoute, async (c) =>
    c.json(await login(serviceContext(c), { ...c.req.valid('json'), client: clientMeta(c) }), 200),
  )
  .openapi(refreshRoute, async (c) =>
    c.json(
      await rotateRefreshToken(serviceContext(c), { ...c.req.valid('json'), client: clientMeta(c) }),
      200,
    ),
  )
  .openapi(acceptInviteRoute, async (c) =>
    c.json(await acceptInvite(serviceContext(c), { ...c.req.valid('json'), client: clientMeta(c) }), 200),
  )
  .openapi(meRoute, async (c) => c.json(await getMe(c.var.ctx), 200))
  .openapi(logoutRoute, async (c) => {
    await logout(c.var.ctx, c.req.valid('json'));
    return c.json({ success: true as const }, 200);
  })
  .openapi(changePasswordRoute, async (c) =>
    c.json(await changePassword(c.var.ctx, { ...c.req.valid('json'), client: clientMeta(c) }), 200),
  );
