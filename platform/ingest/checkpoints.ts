/** How far each ingest journal has been stored and evaluated (PostgreSQL, table ingest_checkpoints). */
import type { Database } from '../db/database.ts';

export interface Checkpoint {
  stored: number;
  /** The bulk lane: rules evaluated after storage. */
  evaluated: number;
  /** The urgent lane: alarm rules evaluated straight from the journal. */
  alarm: number;
}

export class CheckpointStore {
  constructor(private readonly db: Database) {}

  async get(journalId: string): Promise<Checkpoint> {
    const { rows } = await this.db.query<{ stored_seq: string; evaluated_seq: string; alarm_seq: string }>(
      'SELECT stored_seq, evaluated_seq, alarm_seq FROM ingest_checkpoints WHERE journal_id = $1',
      [journalId],
    );
    return { stored: Number(rows[0]?.stored_seq ?? 0), evaluated: Number(rows[0]?.evaluated_seq ?? 0), alarm: Number(rows[0]?.alarm_seq ?? 0) };
  }

  /**
   * The statement that advances the stored checkpoint, with the journal id and sequence in the given parameters;
   * the telemetry sink runs it in the transaction that stores the rows it covers.
   */
  static storedSql(journalIdParam: string, seqParam: string): string {
    return `INSERT INTO ingest_checkpoints (journal_id, stored_seq) VALUES (${journalIdParam}, ${seqParam})
       ON CONFLICT (journal_id) DO UPDATE SET stored_seq = GREATEST(ingest_checkpoints.stored_seq, EXCLUDED.stored_seq), updated_at = now()`;
  }

  async advanceEvaluated(journalId: string, evaluated: number, alarm: number): Promise<void> {
    await this.db.query(
      `INSERT INTO ingest_checkpoints (journal_id, evaluated_seq, alarm_seq) VALUES ($1, $2, $3)
       ON CONFLICT (journal_id) DO UPDATE SET evaluated_seq = GREATEST(ingest_checkpoints.evaluated_seq, EXCLUDED.evaluated_seq),
         alarm_seq = GREATEST(ingest_checkpoints.alarm_seq, EXCLUDED.alarm_seq), updated_at = now()`,
      [journalId, evaluated, alarm],
    );
  }
}
