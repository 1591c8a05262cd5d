import { handleQueue } from '../workers/queue-router';
import { handleScheduled } from '../workers/scheduler';
import { createApp } from './app';
import { type AppEnv, assertValidEnv, ConfigError } from './env';
import { errorEnvelope } from './lib/errors';
import type { QueueMessage } from './messages';

export { ClientRateLimiter } from '../durable-objects/client-rate-limiter/object';
export { LwaTokenCache } from '../durable-objects/lwa-token-cache/object';
export { SellerQuota } from '../durable-objects/seller-quota/object';
export { TenantHub } from '../durable-objects/tenant-hub';

const app = createApp();

export default {
  async fetch(request, env, ctx) {
    try {
      assertValidEnv(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      console.error(JSON.stringify({ level: 'error', message: err.message }));
      const body = errorEnvelope('SERVICE_UNAVAILABLE', err.message, crypto.randomUUID());
      return Response.json(body, { status: 503 });
    }
    return app.fetch(request, env, ctx);
  },
  async queue(batch, env, ctx) {
    assertValidEnv(env);
    await handleQueue(batch, env, ctx);
  },
  async scheduled(controller, env, ctx) {
    assertValidEnv(env);
    await handleScheduled(controller, env, ctx);
  },
} satisfies ExportedHandler<AppEnv, QueueMessage>;
