/**
 * Cluster mode on an existing engine: with ANJU_REDIS_URL, gateway instances share the message bus
 * (mqemitter-redis) and sessions (aedes-persistence-redis), so a device on one instance receives what is
 * published through another, and a persistent session's QoS 1 messages survive a restart.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type { AedesOptions } from 'aedes';
import { Redis } from 'ioredis';

const require = createRequire(import.meta.url);

interface AsyncRedisPersistenceClass {
  new (options: { conn: Redis }): {
    createRetainedStreamCombi(patterns: string[]): AsyncIterable<unknown>;
    destroy?(): Promise<void>;
  };
}

// The async persistence class is what aedes 1.x drives; its package's main export wraps it for aedes 0.x.
const AsyncRedisPersistence = require('aedes-persistence-redis/asyncPersistence.js') as AsyncRedisPersistenceClass;
const mqemitterRedis = require('mqemitter-redis') as (options: { connectionString: string }) => NonNullable<AedesOptions['mq']> & { close(cb: () => void): void };

/**
 * aedes 1.2 pipes the retained-message stream of a new subscription, while aedes-persistence-redis 12
 * hands back an async iterable: wrap it in a Readable, as aedes's in-memory persistence does.
 */
class AedesRedisPersistence extends AsyncRedisPersistence {
  override createRetainedStreamCombi(patterns: string[]) {
    return Readable.from(super.createRetainedStreamCombi(patterns)) as unknown as AsyncIterable<unknown>;
  }

  createRetainedStream(pattern: string) {
    return this.createRetainedStreamCombi([pattern]);
  }
}

export interface SharedBrokerState {
  mq: NonNullable<AedesOptions['mq']>;
  persistence: NonNullable<AedesOptions['persistence']>;
  close(): Promise<void>;
}

export function sharedBrokerState(redisUrl: string): SharedBrokerState {
  const conn = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const mq = mqemitterRedis({ connectionString: redisUrl });
  const persistence = new AedesRedisPersistence({ conn });
  return {
    mq,
    persistence,
    async close() {
      await new Promise<void>((resolve) => mq.close(() => resolve()));
      conn.disconnect();
    },
  };
}
