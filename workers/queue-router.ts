import type { AppEnv } from '../src/env';
import { createLogger, type Logger } from '../src/lib/logger';
import type { QueueMessage, SyncMessage } from '../src/messages';
import { consumeSyncDeadLetters, consumeSyncMessages } from './sync-consumer';

/**
 * The export queues, or else SYNC_QUEUE; `-dlq` marks a dead-letter queue. Names carry an
 * environment suffix in staging (`sellerpulse-sync-staging-dlq`).
 */
function queueOf(name: string): { family: 'sync' | 'export'; deadLetter: boolean } {
  return {
    family: name.startsWith('sellerpulse-export') ? 'export' : 'sync',
    deadLetter: name.endsWith('-dlq'),
  };
}

const isSync = (m: Message<QueueMessage>): m is Message<SyncMessage> => m.body?.kind === 'sync';

/** Messages no consumer handles: acked and logged, so they neither retry nor pile up. */
function ackUnhandled(messages: readonly Message<QueueMessage>[], logger: Logger, reason: string): void {
  for (const message of messages) {
    logger.warn(reason, { kind: message.body?.kind, attempts: message.attempts });
    message.ack();
  }
}

/**
 * Routes a batch by queue. SYNC_QUEUE and its dead-letter queue go to the sync consumers (health
 * check messages there are acked unread). Exports are not built yet: anything on the export queues
 * is logged and acked.
 */
export async function handleQueue(
  batch: MessageBatch<QueueMessage>,
  env: AppEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const logger = createLogger(env.LOG_LEVEL, { queue: batch.queue });
  const { family, deadLetter } = queueOf(batch.queue);
  if (family !== 'sync') return ackUnhandled(batch.messages, logger, 'no consumer for this queue');
  const sync: Message<SyncMessage>[] = [];
  for (const message of batch.messages) {
    if (isSync(message)) sync.push(message);
    else if (message.body?.kind === 'health') message.ack();
    else ackUnhandled([message], logger, 'unexpected message on the sync queue');
  }
  if (sync.length === 0) return;
  if (deadLetter) await consumeSyncDeadLetters(sync, env, ctx);
  else await consumeSyncMessages(sync, env, ctx);
}
