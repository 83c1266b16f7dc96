/**
 * Drops repeats of (device, seq): a QoS 1 redelivery after a lost PUBACK carries the same seq.
 * Each device remembers its recent seqs for a window; a seq seen again inside it is a duplicate.
 * A device that restarts its counter is served after the window has passed (or at once, for seqs it
 * had not used recently).
 */
export class SeqDeduplicator {
  private readonly seen = new Map<string, Map<number, number>>();

  constructor(
    private readonly windowMs = 10 * 60_000,
    private readonly perDevice = 1024,
  ) {}

  /** True when (device, seq) was seen within the window; records it otherwise. */
  isDuplicate(deviceId: string, seq: number | undefined, now: number): boolean {
    if (seq === undefined) return false;
    let recent = this.seen.get(deviceId);
    if (!recent) {
      recent = new Map();
      this.seen.set(deviceId, recent);
    }
    const at = recent.get(seq);
    if (at !== undefined && now - at < this.windowMs) return true;
    recent.delete(seq);
    recent.set(seq, now);
    if (recent.size > this.perDevice) {
      // Maps iterate in insertion order: the first key is the oldest.
      recent.delete(recent.keys().next().value!);
    }
    return false;
  }

  forget(deviceId: string): void {
    this.seen.delete(deviceId);
  }
}
