/** Ratios (Anju ÷ mosquitto), the aims and the readable comparison table of the broker benchmark. */
import type { anjuAuthRate, anjuIdle, mosquittoIdle } from './broker-idle.ts';
import type { AnjuRun, MosquittoRun } from './broker-throughput.ts';
type Summary = { p50: number | null; p99: number | null };
/** A measure run several times: the median run, with each run's msgs/s. */
type Repeated<R> = R & { runsPerSecond?: (number | null)[] };

export interface AnjuFigures {
  qos0: Repeated<AnjuRun>;
  qos1: Repeated<AnjuRun>;
  pacedQos1: AnjuRun;
  idle: Awaited<ReturnType<typeof anjuIdle>>;
  authentication: Awaited<ReturnType<typeof anjuAuthRate>>;
}

export interface MosquittoFigures {
  version: string;
  qos0: Repeated<MosquittoRun>;
  qos1: Repeated<MosquittoRun>;
  pacedQos1: MosquittoRun;
  idle: Awaited<ReturnType<typeof mosquittoIdle>>;
}

const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || b === 0 ? null : Number((a / b).toFixed(3)));
const summary = (s: Summary | string | null): Summary => (s && typeof s === 'object' ? s : { p50: null, p99: null });

/** `journaled`: Anju acknowledges QoS 1 only once the message is durable (its ingest journal). */
export function ratios(anju: AnjuFigures, mosquitto: MosquittoFigures, journaled: boolean) {
  const latency = (a: Summary | string | null, m: Summary | string | null) => ({ p50: ratio(summary(a).p50, summary(m).p50), p99: ratio(summary(a).p99, summary(m).p99) });
  const qos0 = {
    brokerLevel: ratio(anju.qos0.acceptedPerSecond, mosquitto.qos0.deliveredPerSecond),
    endToEnd: ratio(anju.qos0.storedPerSecond, mosquitto.qos0.deliveredPerSecond),
  };
  const qos1 = {
    acked: ratio(anju.qos1.ackedPerSecond, mosquitto.qos1.ackedPerSecond),
    endToEnd: ratio(anju.qos1.storedPerSecond, mosquitto.qos1.deliveredPerSecond),
  };
  const durable = journaled ? qos1.acked : qos1.endToEnd;
  return {
    note: 'throughput: higher is better for Anju above 1; latency and bytes: lower is better for Anju below 1',
    qos0MsgsPerSecond: qos0,
    qos1MsgsPerSecond: qos1,
    qos0DeliveryLatency: latency(anju.qos0.storedLatencyMs, mosquitto.qos0.deliveryLatencyMs),
    qos1AckLatency: latency(anju.qos1.ackLatencyMs, mosquitto.qos1.ackLatencyMs),
    qos1DeliveryLatency: latency(anju.qos1.storedLatencyMs, mosquitto.qos1.deliveryLatencyMs),
    pacedQos1AckLatency: latency(anju.pacedQos1.ackLatencyMs, mosquitto.pacedQos1.ackLatencyMs),
    pacedQos1DeliveryLatency: latency(anju.pacedQos1.storedLatencyMs, mosquitto.pacedQos1.deliveryLatencyMs),
    bytesPerConnection: ratio(anju.idle.bytesPerConnection, mosquitto.idle.bytesPerConnection),
    aims: {
      qos0: { target: 0.8, brokerLevel: qos0.brokerLevel, endToEnd: qos0.endToEnd, met: qos0.brokerLevel !== null && qos0.brokerLevel >= 0.8 },
      qos1Durable: {
        target: 1.0,
        acked: qos1.acked,
        endToEnd: qos1.endToEnd,
        basis: journaled ? 'acked' : 'endToEnd',
        met: durable !== null && durable >= 1.0,
        note: journaled
          ? "judged on PUBACKs/s: Anju's PUBACK follows the journal's commit to disk; endToEnd is stored in PostgreSQL/s against mosquitto's delivered/s"
          : "judged on stored/s against mosquitto's delivered/s: Anju's PUBACK is sent before the message is stored",
      },
    },
  };
}

type Row = { measure: string; anju: string; mosquitto: string; 'anju ÷ mosquitto': string };

const num = (n: number | null | undefined, digits = 0) => (n == null ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const lat = (s: Summary | string | null, key: 'p50' | 'p99') => num(summary(s)[key], 2);
/** The median run's figure with the range over all runs, e.g. `38,848 (36,639–41,115)`. */
const spread = (median: number | null, runs: (number | null)[] | undefined) => {
  const values = (runs ?? []).filter((v): v is number => v !== null);
  return values.length > 1 ? `${num(median)} (${num(Math.min(...values))}–${num(Math.max(...values))})` : num(median);
};
const x = (r: number | null) => (r == null ? '–' : `${r.toFixed(2)}×`);

export function comparisonTable(anju: AnjuFigures, mosquitto: MosquittoFigures, r: ReturnType<typeof ratios>): Row[] {
  const row = (measure: string, a: string, m: string, q: string): Row => ({ measure, anju: a, mosquitto: m, 'anju ÷ mosquitto': q });
  return [
    row('QoS 0 msgs/s: accepted (Anju) / delivered (mosq.), median (range)', spread(anju.qos0.acceptedPerSecond, anju.qos0.runsPerSecond), spread(mosquitto.qos0.deliveredPerSecond, mosquitto.qos0.runsPerSecond), x(r.qos0MsgsPerSecond.brokerLevel)),
    row('QoS 0 msgs/s: stored (Anju) / delivered (mosq.)', num(anju.qos0.storedPerSecond), num(mosquitto.qos0.deliveredPerSecond), x(r.qos0MsgsPerSecond.endToEnd)),
    row('QoS 0 publish→stored/received p50 ms', lat(anju.qos0.storedLatencyMs, 'p50'), lat(mosquitto.qos0.deliveryLatencyMs, 'p50'), x(r.qos0DeliveryLatency.p50)),
    row('QoS 0 publish→stored/received p99 ms', lat(anju.qos0.storedLatencyMs, 'p99'), lat(mosquitto.qos0.deliveryLatencyMs, 'p99'), x(r.qos0DeliveryLatency.p99)),
    row('QoS 1 msgs/s: PUBACKed, median (range)', spread(anju.qos1.ackedPerSecond, anju.qos1.runsPerSecond), spread(mosquitto.qos1.ackedPerSecond, mosquitto.qos1.runsPerSecond), x(r.qos1MsgsPerSecond.acked)),
    row('QoS 1 msgs/s: stored (Anju) / delivered (mosq.)', num(anju.qos1.storedPerSecond), num(mosquitto.qos1.deliveredPerSecond), x(r.qos1MsgsPerSecond.endToEnd)),
    row('QoS 1 publish→PUBACK p50 ms', lat(anju.qos1.ackLatencyMs, 'p50'), lat(mosquitto.qos1.ackLatencyMs, 'p50'), x(r.qos1AckLatency.p50)),
    row('QoS 1 publish→PUBACK p99 ms', lat(anju.qos1.ackLatencyMs, 'p99'), lat(mosquitto.qos1.ackLatencyMs, 'p99'), x(r.qos1AckLatency.p99)),
    row('QoS 1 publish→stored/received p50 ms', lat(anju.qos1.storedLatencyMs, 'p50'), lat(mosquitto.qos1.deliveryLatencyMs, 'p50'), x(r.qos1DeliveryLatency.p50)),
    row('QoS 1 publish→stored/received p99 ms', lat(anju.qos1.storedLatencyMs, 'p99'), lat(mosquitto.qos1.deliveryLatencyMs, 'p99'), x(r.qos1DeliveryLatency.p99)),
    row('paced 1000/s QoS 1 PUBACK p50 ms', lat(anju.pacedQos1.ackLatencyMs, 'p50'), lat(mosquitto.pacedQos1.ackLatencyMs, 'p50'), x(r.pacedQos1AckLatency.p50)),
    row('paced 1000/s QoS 1 PUBACK p99 ms', lat(anju.pacedQos1.ackLatencyMs, 'p99'), lat(mosquitto.pacedQos1.ackLatencyMs, 'p99'), x(r.pacedQos1AckLatency.p99)),
    row('paced 1000/s publish→stored/received p50 ms', lat(anju.pacedQos1.storedLatencyMs, 'p50'), lat(mosquitto.pacedQos1.deliveryLatencyMs, 'p50'), x(r.pacedQos1DeliveryLatency.p50)),
    row('paced 1000/s publish→stored/received p99 ms', lat(anju.pacedQos1.storedLatencyMs, 'p99'), lat(mosquitto.pacedQos1.deliveryLatencyMs, 'p99'), x(r.pacedQos1DeliveryLatency.p99)),
    row(`idle connections (${num(anju.idle.connections)} / ${num(mosquitto.idle.connections)})`, num(anju.idle.connectsPerSecond) + ' conn/s', num(mosquitto.idle.connectsPerSecond) + ' conn/s', x(ratio(anju.idle.connectsPerSecond, mosquitto.idle.connectsPerSecond))),
    row('bytes per idle connection (broker RSS)', num(anju.idle.bytesPerConnection), num(mosquitto.idle.bytesPerConnection), x(r.bytesPerConnection)),
    row('marginal bytes per connection (after first step)', num(anju.idle.marginalBytesPerConnection), num(mosquitto.idle.marginalBytesPerConnection), x(ratio(anju.idle.marginalBytesPerConnection, mosquitto.idle.marginalBytesPerConnection))),
    row('+ embedded PostgreSQL PSS per connection', num(anju.idle.postgres.bytesPerConnection), '–', '–'),
    row('Anju connects/s at default scrypt N=16384', num(anju.authentication.connectsPerSecond), '–', '–'),
  ];
}

const pct = (n: number | null | undefined) => (n == null ? '?' : `${n}%`);

/** What bounded the figures, read from the measures themselves (CPU per process, rates, latencies). */
export function limits(anju: AnjuFigures, mosquitto: MosquittoFigures, cpus: number, journaled: boolean): string[] {
  const notes: string[] = [];
  notes.push(`${cpus} CPU core(s) shared by the broker under test, the load-generator children and (for Anju) PostgreSQL; CPU below is % of one core over each run`);
  for (const [name, run] of [['QoS 0', mosquitto.qos0], ['QoS 1', mosquitto.qos1]] as const) {
    const { broker, publisher, subscriber } = run.cpuPercent;
    if ((publisher ?? 0) > (broker ?? 0) || (subscriber ?? 0) > (broker ?? 0)) {
      notes.push(
        `mosquitto ${name}: the mqtt.js generator was busier than the broker (publisher ${pct(publisher)}, subscriber ${pct(subscriber)}, mosquitto ${pct(broker)}), so mosquitto's figure is a lower bound on its capacity and the ratio flatters Anju`,
      );
    }
  }
  for (const [name, run] of [['QoS 0', anju.qos0], ['QoS 1', anju.qos1]] as const) {
    const { broker, postgres, publisher } = run.cpuPercent;
    notes.push(
      `Anju ${name}: the service process (all its threads) used ${pct(broker)} of a core; the gateway, validation, journal appends, ingest consumer and pg encoding share its one JavaScript thread; PostgreSQL ${pct(postgres)}, the publisher ${pct(publisher)}`,
    );
    if (run.acceptedPerSecond && run.storedPerSecond && run.storedPerSecond < 0.9 * run.acceptedPerSecond) {
      notes.push(
        `Anju ${name}: storage is the limit, ${num(run.acceptedPerSecond)} msgs/s accepted but ${num(run.storedPerSecond)} msgs/s stored; the ingest consumer stores one batch at a time and the backlog shows as publish→stored latency (p50 ${lat(run.storedLatencyMs, 'p50')} ms)`,
      );
    }
  }
  const ack = summary(anju.pacedQos1.ackLatencyMs).p50;
  const stored = summary(anju.pacedQos1.storedLatencyMs).p50;
  if (ack !== null && stored !== null && ack < stored) {
    notes.push(
      journaled
        ? `Anju's QoS 1 PUBACK follows the ingest journal's commit to disk and precedes the PostgreSQL store (paced: PUBACK p50 ${num(ack, 2)} ms, stored p50 ${num(stored, 2)} ms); mosquitto's PUBACK (persistence off) promises no durability`
        : `Anju sends the QoS 1 PUBACK before the message is stored (paced: PUBACK p50 ${num(ack, 2)} ms, stored p50 ${num(stored, 2)} ms): the PUBACK rate is not a durable rate`,
    );
  }
  notes.push(
    `Anju accepts ${num(anju.idle.connectsPerSecond)} connections/s with the bench's cheap hash and ${num(anju.authentication.connectsPerSecond)}/s at the default scrypt cost (2 at a time): ${num(anju.authentication.projectedSecondsFor10000)} s for 10,000 devices to reconnect after a restart; mosquitto (anonymous) ${num(mosquitto.idle.connectsPerSecond)}/s`,
  );
  notes.push('Anju is measured with this process\'s instrumentation (two wrapped metric calls per message) and shares its thread with the bench\'s bookkeeping between runs; mosquitto carries no such cost');
  return notes;
}
