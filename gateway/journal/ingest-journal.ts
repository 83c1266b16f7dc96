/**
 * The ingest journal: every accepted message is appended here, in the hook that runs before PUBACK,
 * and a QoS 1 publish is acknowledged only once its entry is committed to disk. lmdb batches the
 * writes of one event-loop turn into one transaction (group commit), so durability costs one fsync
 * per batch, not per message. Storage and rules consume the journal from a checkpoint.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { NormalisedMessage } from '../ingest/message.ts';

export interface JournalEntry {
  seq: number;
  kind: string;
  message: NormalisedMessage;
}

interface StoredEntry {
  k: string;
  m: NormalisedMessage;
}

/** Appended entries kept in memory for the consumer, so that steady state never reads lmdb back. */
const MEMORY_LIMIT = 100_000;

export class IngestJournal {
  private next: number;
  /**
   * Entries after the consumer's position, in order, from `memory[head]`; the oldest are dropped beyond
   * MEMORY_LIMIT (disk keeps them). Dropping advances `head` and compacts now and then, so an append or
   * release costs O(1) amortised even while a backlog of MEMORY_LIMIT entries is held.
   */
  private memory: JournalEntry[] = [];
  private head = 0;
  /** Every entry up to this sequence is on disk (lmdb commits in order). */
  private committedSeq: number;
  /** The transaction the latest appends went into, and the last sequence in it. */
  private pending: { put: Promise<unknown> | undefined; lastSeq: number; committed: Promise<unknown> } = { put: undefined, lastSeq: 0, committed: Promise.resolve() };

  private constructor(
    readonly id: string,
    private readonly root: RootDatabase,
    private readonly entries: Database<StoredEntry, number>,
  ) {
    let last = 0;
    for (const key of entries.getKeys({ reverse: true, limit: 1 })) last = key;
    this.next = last + 1;
    this.committedSeq = last;
  }

  /** Opens (creating) the journal in `dir`. Its id tells checkpoints of different journals apart. */
  static async open(dir: string): Promise<IngestJournal> {
    await fs.mkdir(dir, { recursive: true });
    const root = open({ path: path.join(dir, 'journal.mdb'), noSubdir: true, compression: false });
    const meta = root.openDB<string, string>({ name: 'meta' });
    let id = meta.get('id');
    if (!id) {
      id = randomUUID();
      await meta.put('id', id);
    }
    return new IngestJournal(id, root, root.openDB<StoredEntry, number>({ name: 'entries' }));
  }

  /** Appends synchronously (the sequence is fixed now); `committed` resolves once the entry is on disk. */
  append(message: NormalisedMessage, kind: string): { seq: number; committed: Promise<unknown> } {
    const seq = this.next++;
    this.memory.push({ seq, kind, message });
    if (this.memory.length - this.head > MEMORY_LIMIT) this.dropOldest(this.memory.length - this.head - MEMORY_LIMIT);
    // lmdb gives every unconditional put of one transaction the same promise: one continuation per
    // transaction advances `committedSeq` to the last of its entries.
    const put = this.entries.put(seq, { k: kind, m: message });
    if (put !== this.pending.put) {
      const batch = { put, lastSeq: seq, committed: undefined as unknown as Promise<unknown> };
      batch.committed = put.then((ok) => {
        if (batch.lastSeq > this.committedSeq) this.committedSeq = batch.lastSeq;
        return ok;
      });
      this.pending = batch;
    } else this.pending.lastSeq = seq;
    return { seq, committed: this.pending.committed };
  }

  /** Up to `limit` committed entries after `afterSeq`, in order: from memory when it has them, else from disk. */
  read(afterSeq: number, limit: number): JournalEntry[] {
    const first = this.memory[this.head];
    if (first && first.seq <= afterSeq + 1) {
      const start = this.head + afterSeq + 1 - first.seq;
      const end = Math.min(this.memory.length, start + limit, this.head + this.committedSeq - first.seq + 1);
      return end > start ? this.memory.slice(start, end) : [];
    }
    const out: JournalEntry[] = [];
    for (const { key, value } of this.entries.getRange({ start: afterSeq + 1, end: this.committedSeq + 1, limit })) out.push({ seq: key, kind: value.k, message: value.m });
    return out;
  }

  /** The consumer has taken everything up to `seq`: memory may let it go. */
  release(seq: number): void {
    const first = this.memory[this.head];
    if (first && seq >= first.seq) this.dropOldest(Math.min(this.memory.length - this.head, seq - first.seq + 1));
  }

  private dropOldest(count: number): void {
    this.head += count;
    if (this.head === this.memory.length) {
      this.memory = [];
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= this.memory.length) {
      // Copies at most as many entries as were dropped since the last compaction.
      this.memory = this.memory.slice(this.head);
      this.head = 0;
    }
  }

  /** The newest sequence handed out (0 when empty). */
  get lastSeq(): number {
    return this.next - 1;
  }

  /** Entries received since `since` (epoch ms), oldest first: the state a restart must remember. */
  *recent(since: number): Generator<JournalEntry> {
    for (const { key, value } of this.entries.getRange({})) {
      if (value.m.receivedAt >= since) yield { seq: key, kind: value.k, message: value.m };
    }
  }

  /** Drops entries up to `throughSeq` that were received before `before`. Returns how many. */
  async prune(throughSeq: number, before: number): Promise<number> {
    const doomed: number[] = [];
    for (const { key, value } of this.entries.getRange({ end: throughSeq + 1 })) {
      if (value.m.receivedAt >= before) break;
      doomed.push(key);
    }
    if (doomed.length) await this.entries.transaction(() => doomed.forEach((key) => this.entries.remove(key)));
    return doomed.length;
  }

  get size(): number {
    return this.entries.getCount();
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}
