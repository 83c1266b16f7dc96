import { describe, expect, it } from 'vitest';
import { BatchQueue } from '../../platform/batch-queue.ts';
import { createLogger } from '../../platform/logger.ts';

describe('batch queue', () => {
  it('writes in batches of at most maxBatch, in arrival order', async () => {
    const batches: number[][] = [];
    const queue = new BatchQueue<number>({ name: 't', logger: createLogger('silent'), maxBatch: 3, write: async (items) => void batches.push(items) });
    for (let i = 0; i < 7; i++) queue.push(i);
    await queue.drain();
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(3);
  });

  it('keeps a failed batch at the head and retries it before later items', async () => {
    const written: number[] = [];
    let failures = 1;
    const queue = new BatchQueue<number>({
      name: 't',
      logger: createLogger('silent'),
      maxBatch: 2,
      write: async (items) => {
        if (failures-- > 0) throw new Error('database down');
        written.push(...items);
      },
    });
    queue.push(1);
    queue.push(2);
    queue.push(3);
    await queue.drain();
    expect(written).toEqual([1, 2, 3]);
  });

  it('sheds what the caller chooses once full', async () => {
    const written: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new BatchQueue<string>({
      name: 't',
      logger: createLogger('silent'),
      maxBatch: 1,
      maxQueued: 2,
      delayMs: 0,
      shed: (q) => q.splice(q.findIndex((x) => x.startsWith('t')), 1),
      write: async (items) => {
        await gate;
        written.push(...items);
      },
    });
    queue.push('t0');
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (const item of ['e1', 't2', 't3']) queue.push(item);
    release();
    await queue.drain();
    expect(written).toEqual(['t0', 'e1', 't3']);
  });
});
