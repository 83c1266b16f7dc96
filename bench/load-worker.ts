/**
 * Child process: one publisher or one subscriber of the load generator, driven over IPC by
 * bench/broker.ts. Commands: `publish` → `published`; `subscribe` → `subscribed`, then
 * `collect` → `collected` (when every expected message arrived, or after `timeoutMs`).
 */
import { serveCommands } from './child.ts';
import { collect, publishRun, type Collector, type PublishOptions } from './mqtt-load.ts';

let collector: Collector | undefined;

serveCommands(async (command) => {
  switch (command.cmd) {
    case 'publish':
      return { type: 'published', ...(await publishRun(command as unknown as PublishOptions)) };
    case 'subscribe':
      collector = await collect(command as unknown as Parameters<typeof collect>[0]);
      return { type: 'subscribed' };
    case 'collect': {
      if (!collector) throw new Error('collect before subscribe');
      const timer = setTimeout(() => collector?.finish(), Number(command.timeoutMs));
      const result = await collector.done;
      clearTimeout(timer);
      collector = undefined;
      return { type: 'collected', ...result };
    }
    default:
      throw new Error(`unknown command ${String(command.cmd)}`);
  }
});
