import type { AppEnv } from '../src/env';
import { createLogger } from '../src/lib/logger';
import type { QueueMessage, SyncMessage } from '../src/messages';
import { consumeSyncBatch, consumeSyncDeadLetters } from './sync-consumer';

/**
 * Routes a batch by queue name (names carry an environment suffix in staging). Each consumer acks
 * or retries message by message; a DLQ consumer records the final failure.
 */
export async function handleQueue(
  batch: MessageBatch<QueueMessage>,
  env: AppEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const logger = createLogger(env.LOG_LEVEL, { queue: batch.queue });
  const isDeadLetter = batch.queue.endsWith('-dlq');
  const syncMessages = batch.messages.filter((m) => m.body?.kind === 'sync') as Message<SyncMessage>[];
  if (syncMessages.length > 0) {
    const syncBatch = {
      queue: batch.queue,
      messages: syncMessages,
      ackAll: () => batch.ackAll(),
      retryAll: (options?: QueueRetryOptions) => batch.retryAll(options),
      metadata: batch.metadata,
    } as unknown as MessageBatch<SyncMessage>;
    if (isDeadLetter) await consumeSyncDeadLetters(syncBatch, env, ctx);
    else await consumeSyncBatch(syncBatch, env, ctx);
  }
  for (const message of batch.messages) {
    if (message.body?.kind === 'sync') continue;
    const body = message.body;
    if (!body || body.kind === 'health') {
      message.ack();
      continue;
    }
    if (isDeadLetter) {
      logger.warn('dead-lettered message', { kind: body.kind, attempts: message.attempts });
      message.ack();
      continue;
    }
    // Consumers are registered by the sync and export services; unknown kinds are acked and logged.
    logger.warn('no consumer for message', { kind: body.kind });
    message.ack();
  }
}
