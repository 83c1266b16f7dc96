/**
 * Commands down: checked against the device kind's command definitions, recorded, published the way
 * the device's dialect expects (canonical `commands` topic or an ALink service call), and closed by the
 * device's reply or by the deadline (on the injected clock).
 */
import type { z } from 'zod';
import { deviceKind, fieldIssues, type Command, type CommandCreate } from '../../contract/index.ts';
import type { CommandReply, Gateway } from '../../gateway/gateway.ts';
import type { Clock } from '../clock.ts';
import { deviceInfo } from '../devices/directory.ts';
import { ApiError, invalidField } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { CommandStore } from '../store/commands.ts';
import type { DeviceRow } from '../store/devices.ts';

/** Whatever reaches the devices: the embedded gateway, or the upstream cluster. */
export type CommandLink = Pick<Gateway, 'sendCommand'>;

export class CommandService {
  private gateway: CommandLink | undefined;

  constructor(
    private readonly store: CommandStore,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  attach(gateway: CommandLink): void {
    this.gateway = gateway;
  }

  async send(device: DeviceRow, body: z.output<typeof CommandCreate>, requestedBy: string): Promise<Command> {
    const definition = deviceKind(device.kind).commands[body.command];
    if (!definition) throw invalidField('command', `${device.kind} has no command ${body.command}; it has ${Object.keys(deviceKind(device.kind).commands).join(', ')}`);
    const args = definition.args.safeParse(body.args);
    if (!args.success) throw new ApiError('validation_failed', fieldIssues(args.error).map((i) => ({ ...i, path: `args.${i.path}` })));
    if (!this.gateway) throw new ApiError('unavailable');
    const now = this.clock.now();
    const command = await this.store.create({ deviceId: device.id, command: body.command, args: args.data, requestedBy, at: now, deadline: now + body.timeoutS * 1000 });
    try {
      const sent = await this.gateway.sendCommand(deviceInfo(device), { id: command.id, command: command.command, args: command.args });
      if (!sent) return (await this.store.markFailed(command.id, `the ${device.dialect} dialect has no command channel`)) ?? command;
    } catch (error) {
      this.logger.error({ err: error, commandId: command.id }, 'could not publish a command');
      return (await this.store.markFailed(command.id, 'could not publish the command')) ?? command;
    }
    this.metrics.commands.inc({ outcome: 'sent' });
    return command;
  }

  async reply(reply: CommandReply): Promise<void> {
    const command = await this.store.reply(reply);
    if (command) this.metrics.commands.inc({ outcome: command.status });
    else this.logger.info({ deviceId: reply.deviceId, commandId: reply.commandId }, 'reply to an unknown or closed command');
  }

  async expire(): Promise<void> {
    for (const command of await this.store.expire(this.clock.now())) {
      this.metrics.commands.inc({ outcome: 'timed_out' });
      this.logger.info({ commandId: command.id, deviceId: command.deviceId }, 'command timed out');
    }
  }
}
