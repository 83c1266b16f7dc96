/** Commands sent down to devices and what became of them. */
import type { Command } from '../../contract/index.ts';
import type { Database } from '../db/database.ts';
import { iso, isoRequired } from '../db/sql.ts';

interface CommandRow {
  id: string;
  device_id: string;
  command: string;
  args: Record<string, unknown> | null;
  status: Command['status'];
  created_at: Date;
  deadline: Date;
  replied_at: Date | null;
  result: unknown;
  message: string | null;
}

const toCommand = (r: CommandRow): Command => ({
  id: r.id,
  deviceId: r.device_id,
  command: r.command,
  args: r.args ?? {},
  status: r.status,
  createdAt: isoRequired(r.created_at),
  deadline: isoRequired(r.deadline),
  repliedAt: iso(r.replied_at),
  result: r.result ?? null,
  message: r.message,
});

export class CommandStore {
  constructor(private readonly db: Database) {}

  async create(input: { deviceId: string; command: string; args: Record<string, unknown>; requestedBy: string; at: number; deadline: number }): Promise<Command> {
    const { rows } = await this.db.query<CommandRow>(
      `INSERT INTO commands (device_id, command, args, status, requested_by, created_at, deadline) VALUES ($1, $2, $3, 'sent', $4, $5, $6) RETURNING *`,
      [input.deviceId, input.command, JSON.stringify(input.args), input.requestedBy, new Date(input.at), new Date(input.deadline)],
    );
    return toCommand(rows[0]!);
  }

  /** Records the device's answer to a command still waiting for one; undefined otherwise. */
  async reply(input: { deviceId: string; commandId: string; ok: boolean; result?: unknown; message?: string; at: number }): Promise<Command | undefined> {
    if (!/^\d{1,18}$/.test(input.commandId)) return undefined;
    const { rows } = await this.db.query<CommandRow>(
      `UPDATE commands SET status = $3, replied_at = $4, result = $5, message = $6
        WHERE id = $1 AND device_id = $2 AND status = 'sent' RETURNING *`,
      [input.commandId, input.deviceId, input.ok ? 'succeeded' : 'failed', new Date(input.at), input.result === undefined ? null : JSON.stringify(input.result), input.message ?? null],
    );
    return rows[0] && toCommand(rows[0]);
  }

  async markFailed(id: string, message: string): Promise<Command | undefined> {
    const { rows } = await this.db.query<CommandRow>(`UPDATE commands SET status = 'failed', message = $2 WHERE id = $1 AND status = 'sent' RETURNING *`, [id, message]);
    return rows[0] && toCommand(rows[0]);
  }

  /** Commands past their deadline without an answer become timed_out. */
  async expire(now: number): Promise<Command[]> {
    const { rows } = await this.db.query<CommandRow>(`UPDATE commands SET status = 'timed_out' WHERE status = 'sent' AND deadline <= $1 RETURNING *`, [new Date(now)]);
    return rows.map(toCommand);
  }

  async get(deviceId: string, id: string): Promise<Command | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const { rows } = await this.db.query<CommandRow>('SELECT * FROM commands WHERE id = $1 AND device_id = $2', [id, deviceId]);
    return rows[0] && toCommand(rows[0]);
  }

  async list(deviceId: string, limit: number): Promise<Command[]> {
    const { rows } = await this.db.query<CommandRow>('SELECT * FROM commands WHERE device_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [deviceId, limit]);
    return rows.map(toCommand);
  }
}
