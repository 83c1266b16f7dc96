import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NormalisedMessage } from '../../gateway/ingest/message.ts';
import { IngestJournal } from '../../gateway/journal/ingest-journal.ts';

const dirs: string[] = [];
const fresh = async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'anju-journal-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

const message = (seq: number, receivedAt = 1000 + seq): NormalisedMessage => ({ type: 'telemetry', deviceId: 'd', ts: receivedAt, seq, values: { gas_lel: seq }, receivedAt });

describe('ingest journal', () => {
  it('hands out only committed entries, in order', async () => {
    const journal = await IngestJournal.open(await fresh());
    const appended = [1, 2, 3].map((n) => journal.append(message(n), 'gas_detector'));
    expect(appended.map((a) => a.seq)).toEqual([1, 2, 3]);
    expect(journal.read(0, 10)).toEqual([]);
    await Promise.all(appended.map((a) => a.committed));
    expect(journal.read(0, 10).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(journal.read(1, 1).map((e) => e.seq)).toEqual([2]);
    await journal.close();
  });

  it('keeps entries and its identity across a reopen, and continues the sequence', async () => {
    const dir = await fresh();
    const first = await IngestJournal.open(dir);
    await Promise.all([1, 2].map((n) => first.append(message(n), 'gas_detector').committed));
    first.release(2);
    const id = first.id;
    await first.close();
    const again = await IngestJournal.open(dir);
    expect(again.id).toBe(id);
    expect(again.read(0, 10).map((e) => e.message.seq)).toEqual([1, 2]);
    expect(again.append(message(3), 'gas_detector').seq).toBe(3);
    await again.close();
  });

  it('reads from disk what memory has already let go', async () => {
    const journal = await IngestJournal.open(await fresh());
    await Promise.all([1, 2, 3, 4].map((n) => journal.append(message(n), 'gas_detector').committed));
    journal.release(3);
    expect(journal.read(1, 10).map((e) => e.seq)).toEqual([2, 3, 4]);
    await journal.close();
  });

  it('hands out the right entries while releasing in steps through a large backlog', async () => {
    const journal = await IngestJournal.open(await fresh());
    await Promise.all(Array.from({ length: 10_000 }, (_, i) => journal.append(message(i + 1), 'gas_detector').committed));
    for (let released = 0; released < 10_000; released += 2500) {
      journal.release(released);
      expect(journal.read(released, 3).map((e) => e.seq)).toEqual([released + 1, released + 2, released + 3].filter((s) => s <= 10_000));
      expect(journal.read(9_998, 10).map((e) => e.seq)).toEqual([9_999, 10_000]);
    }
    // Released entries come back from disk.
    expect(journal.read(10, 2).map((e) => e.seq)).toEqual([11, 12]);
    journal.release(10_000);
    expect(journal.read(10_000, 10)).toEqual([]);
    expect(journal.append(message(10_001), 'gas_detector').seq).toBe(10_001);
    await journal.close();
  });

  it('prunes stored entries older than the window, keeping recent ones for deduplication', async () => {
    const journal = await IngestJournal.open(await fresh());
    await Promise.all([1, 2, 3].map((n) => journal.append(message(n, n * 1000), 'gas_detector').committed));
    expect(await journal.prune(3, 2500)).toBe(2);
    expect([...journal.recent(0)].map((e) => e.seq)).toEqual([3]);
    expect(await journal.prune(1, 10_000)).toBe(0);
    await journal.close();
  });
});
