/** `npm start`: the service without demo data or simulators. */
import { ConfigError, parseConfig, type Config } from './config.ts';
import { ensureDashboardBuilt } from './dashboard-build.ts';
import { createLogger } from './logger.ts';
import { startService, type Service } from './service.ts';
import { isMain } from './is-main.ts';

export function loadConfigOrExit(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`anju: invalid configuration: ${problem}`);
      process.exit(2);
    }
    throw error;
  }
}

/** Stops cleanly on SIGINT/SIGTERM: devices disconnected, queues drained, database stopped. */
export function stopOnSignals(service: Service): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      service.logger.info({ signal }, 'stopping');
      service.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

export async function startFromEnvironment(): Promise<Service> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const dashboardDir = await ensureDashboardBuilt(false, (m) => logger.info(m));
  const service = await startService(config, { logger, dashboardDir });
  stopOnSignals(service);
  return service;
}

if (isMain(import.meta.url)) {
  const service = await startFromEnvironment();
  service.logger.info({ dashboard: `${service.httpUrl}/`, api: `${service.httpUrl}/api/v1`, docs: `${service.httpUrl}/docs`, mqtt: service.mqttPort }, 'Anju is running');
}
