import { buildApp } from './app';
import type { SandboxEnv } from './env';

export { SellerState } from './state/seller-state';

const app = buildApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<SandboxEnv>;
