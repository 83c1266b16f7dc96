/**
 * Collects items and writes them in batches: when `maxBatch` are waiting, or `delayMs` after the first.
 * One write runs at a time, in arrival order; a failed write is retried with backoff, keeping its items
 * at the head of the queue. Past `maxQueued`, `shed` chooses what to give up (counted by the caller).
 */
import type { Logger } from './logger.ts';

export interface BatchQueueOptions<T> {
  name: string;
  write: (items: T[]) => Promise<void>;
  logger: Logger;
  maxBatch?: number;
  delayMs?: number;
  maxQueued?: number;
  /** Removes at least one item from a full queue; the default drops the oldest. */
  shed?: (queue: T[]) => void;
  onWriteError?: (error: unknown) => void;
  onLengthChange?: (length: number) => void;
}

export class BatchQueue<T> {
  private queue: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private failures = 0;
  private closed = false;
  private readonly maxBatch: number;
  private readonly delayMs: number;
  private readonly maxQueued: number;

  constructor(private readonly options: BatchQueueOptions<T>) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.delayMs = options.delayMs ?? 5;
    this.maxQueued = options.maxQueued ?? 200_000;
  }

  push(item: T): void {
    if (this.queue.length >= this.maxQueued) (this.options.shed ?? ((q) => q.shift()))(this.queue);
    this.queue.push(item);
    this.options.onLengthChange?.(this.queue.length);
    if (this.writing) return;
    if (this.queue.length >= this.maxBatch) this.start();
    else this.timer ??= setTimeout(() => this.start(), this.delayMs);
  }

  get length(): number {
    return this.queue.length;
  }

  /** Resolves when everything pushed so far has been written (or the queue was closed). */
  async drain(): Promise<void> {
    while (this.queue.length || this.writing) {
      if (!this.writing) this.start();
      await this.writing;
    }
  }

  /** Stops retrying; whatever is still queued is returned to the caller. */
  close(): T[] {
    this.closed = true;
    clearTimeout(this.timer);
    const left = this.queue;
    this.queue = [];
    return left;
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing || this.closed || !this.queue.length) return;
    this.writing = this.loop().finally(() => {
      this.writing = undefined;
      if (this.queue.length && !this.closed) this.timer ??= setTimeout(() => this.start(), this.delayMs);
    });
  }

  private async loop(): Promise<void> {
    while (this.queue.length && !this.closed) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.options.write(batch);
        this.failures = 0;
        this.options.onLengthChange?.(this.queue.length);
      } catch (error) {
        this.failures++;
        this.queue = batch.concat(this.queue);
        this.options.onWriteError?.(error);
        this.options.logger.warn({ err: error instanceof Error ? error.message : error, queue: this.options.name, queued: this.queue.length, attempt: this.failures }, 'batch write failed; will retry');
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** Math.min(this.failures, 6), 5000)));
      }
    }
  }
}
