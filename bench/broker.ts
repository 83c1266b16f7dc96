/**
 * Anju's gateway against Debian's mosquitto, with the same mqtt.js load generator (child processes):
 * QoS 0 and QoS 1 throughput and latency of one publisher, a paced latency run, and memory per idle
 * connection. Anju runs in this process on the embedded PostgreSQL with authentication, ACL and payload
 * validation on; mosquitto runs as a separate process on loopback with anonymous access.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deviceTopic } from '../contract/index.ts';
import { parseConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { startService } from '../platform/service.ts';
import { ApiClient, provisionFleet } from '../simulators/provision.ts';
import { AnjuProbe } from './anju-probe.ts';
import { anjuAuthRate, anjuIdle, mosquittoIdle } from './broker-idle.ts';
import { Repeats, runAnju, runMosquitto, type AnjuRun, type Loaders, type MosquittoRun, type RunSpec } from './broker-throughput.ts';
import { BenchChild, epochNow } from './child.ts';
import { loopbackSources } from './mqtt-load.ts';
import { startMosquitto, type Mosquitto } from './mosquitto.ts';
import { openFileLimit } from './proc-stats.ts';
import { comparisonTable, limits, ratios } from './broker-report.ts';

export interface BrokerBenchOptions {
  /** Messages per throughput run. */
  messages?: number;
  idleConnections?: number;
  /** scrypt cost of the idle devices' shared secret hash. */
  idleHashN?: number;
  /** Most publishes outstanding at once, per QoS. */
  window?: { qos0: number; qos1: number };
  /** Runs of each saturated measure. */
  repeats?: number;
}

export async function brokerBench(options: BrokerBenchOptions = {}) {
  const messages = options.messages ?? 50_000;
  const requestedIdle = options.idleConnections ?? 10_000;
  // This process (Anju's broker) and the idle-connection child each hold one descriptor per connection.
  const fdLimit = await openFileLimit();
  const idleConnections = Math.min(requestedIdle, fdLimit - 1000);
  if (idleConnections < requestedIdle) console.warn(`bench: open-file limit ${fdLimit}: measuring ${idleConnections} idle connections instead of ${requestedIdle} (raise ulimit -n)`);
  const idleHashN = options.idleHashN ?? 1024;
  const payloadBytes = 100;
  const window = options.window ?? { qos0: 500, qos1: 1000 };
  const paced = { rate: 1000, count: 3000 };
  const repeats = options.repeats ?? 3;
  const started = epochNow();
  const log = (step: string) => console.log(`  broker: ${step} (${((epochNow() - started) / 1000).toFixed(1)} s)`);

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'anju-bench-'));
  await fs.chmod(dataDir, 0o755);
  const password = 'bench-admin-password';
  const service = await startService(parseConfig({ ANJU_DATA_DIR: dataDir, ANJU_HTTP_PORT: '0', ANJU_MQTT_PORT: '0', ANJU_ADMIN_PASSWORD: password, ANJU_LOG_LEVEL: 'warn' }), {
    logger: createLogger('warn'),
  }).catch(async (error: unknown) => {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const probe = new AnjuProbe(service.metrics);
  const children: BenchChild[] = [];
  let mosquitto: Mosquitto | undefined;
  try {
    const postgresPid = Number((await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const api = new ApiClient(service.httpUrl);
    await api.login('admin', password);
    const [device] = await provisionFleet(api, { count: 1, kinds: ['gas_detector'] });
    if (!device) throw new Error('could not provision the publishing device');
    const topic = deviceTopic(device.id, 'telemetry');
    // Since 5f823bb the service has an ingest journal and acknowledges QoS 1 only after its commit.
    const journaled = 'journal' in service;
    mosquitto = await startMosquitto();
    log(`Anju and mosquitto ${mosquitto.version} started`);

    const loaders: Loaders = { publisher: BenchChild.start('load-worker.ts'), subscriber: BenchChild.start('load-worker.ts') };
    const idle = BenchChild.start('idle-connections.ts');
    children.push(loaders.publisher, loaders.subscriber, idle);

    // Memory first, on brokers that have not yet carried load.
    // The gateway limits connection attempts per source address (a token bucket); like a real fleet, the idle
    // connections come from many addresses, at most half a burst from each, so the default limits stay on.
    const perSource = Math.max(1, Math.floor(service.gateway.limits.connectBurst / 2));
    const sources = loopbackSources(Math.ceil(idleConnections / perSource), 1);
    const idleSpec = { connections: idleConnections, firstStep: Math.min(2000, Math.floor(idleConnections / 5)), concurrency: 100, timeoutMs: 120_000, sources };
    const anjuMemory = await anjuIdle(idle, service, postgresPid, device.communityId, { ...idleSpec, hashN: idleHashN });
    log(`Anju: ${anjuMemory.connections} idle connections measured`);
    const mosquittoMemory = await mosquittoIdle(idle, mosquitto, idleSpec);
    log(`mosquitto: ${mosquittoMemory.connections} idle connections measured`);
    const anjuAuth = await anjuAuthRate(idle, service, device.communityId, 100, loopbackSources(Math.ceil(100 / perSource), 2));
    log('Anju: authentication rate at the default scrypt cost measured');

    let seq = 1;
    const spec = (qos: 0 | 1, count: number, rate?: number): RunSpec => {
      const s: RunSpec = { qos, count, seqStart: seq, window: qos === 0 ? window.qos0 : window.qos1, rate, payloadBytes, timeoutMs: 60_000 };
      seq += count;
      return s;
    };
    const anju = (s: RunSpec) => runAnju(loaders, service, probe, postgresPid, device, topic, s);
    const mosq = (s: RunSpec) => runMosquitto(loaders, mosquitto!, topic, s);

    // Warm-up (JIT, connection set-up), not reported.
    await anju(spec(1, 3000));
    await mosq(spec(1, 3000));
    log('warmed up');
    // Each saturated measure runs `repeats` times, alternating brokers; the median run (by msgs/s) is reported.
    const anjuQos0 = new Repeats((r: AnjuRun) => r.acceptedPerSecond);
    const mosquittoQos0 = new Repeats((r: MosquittoRun) => r.deliveredPerSecond);
    const anjuQos1 = new Repeats((r: AnjuRun) => r.ackedPerSecond);
    const mosquittoQos1 = new Repeats((r: MosquittoRun) => r.ackedPerSecond);
    for (let i = 0; i < repeats; i++) {
      anjuQos0.add(await anju(spec(0, messages)));
      mosquittoQos0.add(await mosq(spec(0, messages)));
      anjuQos1.add(await anju(spec(1, messages)));
      mosquittoQos1.add(await mosq(spec(1, messages)));
      log(`QoS 0 and QoS 1 measured (${i + 1}/${repeats})`);
    }
    const anjuPaced = await anju(spec(1, paced.count, paced.rate));
    const mosquittoPaced = await mosq(spec(1, paced.count, paced.rate));
    log('paced QoS 1 measured');

    const anjuResult = { qos0: anjuQos0.median(), qos1: anjuQos1.median(), pacedQos1: anjuPaced, idle: anjuMemory, authentication: anjuAuth };
    const mosquittoResult = { version: mosquitto.version, qos0: mosquittoQos0.median(), qos1: mosquittoQos1.median(), pacedQos1: mosquittoPaced, idle: mosquittoMemory };
    const r = ratios(anjuResult, mosquittoResult, journaled);
    return {
      setup: {
        payloadBytes,
        messagesPerRun: messages,
        repeats,
        window,
        pacedQos1: paced,
        idleConnections,
        openFileLimit: fdLimit,
        idleSources: `${sources.length} loopback source addresses (${sources[0]}…${sources.at(-1)}), ≤ ${perSource} connections each; Anju's gateway limits: ${JSON.stringify(service.gateway.limits)}`,
        loadGenerator: 'mqtt.js 5 in child processes (publisher, subscriber, idle clients), MQTT 3.1.1 over loopback TCP',
        anju: `in-process service (aedes gateway with default hardening limits, auth + ACL + validation, ${journaled ? 'durable ingest journal (QoS 1 PUBACK after commit), ' : ''}embedded PostgreSQL 17); publisher = provisioned gas_detector ${device.id} on ${topic}; delivered = stored and evaluated`,
        mosquitto: `mosquitto ${mosquitto.version} (Debian), own process and config: ${mosquitto.config.trim().split('\n').join('; ')}; delivered = received by a subscriber at the same QoS`,
        durationSeconds: Number(((epochNow() - started) / 1000).toFixed(1)),
      },
      anju: anjuResult,
      mosquitto: mosquittoResult,
      ratios: r,
      limits: limits(anjuResult, mosquittoResult, os.cpus().length, journaled),
      table: comparisonTable(anjuResult, mosquittoResult, r),
    };
  } finally {
    for (const child of children) await child.stop().catch(() => undefined);
    await mosquitto?.stop().catch((error: unknown) => console.error('bench: could not stop mosquitto', error));
    probe.detach();
    await service.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
