import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

/** The value after `--name` on the command line, or `fallback`. */
export function benchOption(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}

/**
 * The driver the end-to-end delivery benches share (NATS, Redis), so that they measure and print
 * alike: it reads `--sizes`, `--alo`, `--rounds` and `--sustained`, runs a row per size (warm-ups,
 * then measured rounds of `bench.once`, then the delivered ratio from `setup.count()`) and the
 * sustained run, and prints them as tables with the load average. The bench supplies the rest:
 *   title, details    the header line: `${title} (node, CPUs, load average); N rounds per size${details}`
 *   cpuNote           the line saying what its CPU columns cover
 *   cpuColumns        [{ label, field, perMessage }]: the median round's `field` of `once`'s
 *                     results, in µs per message when `perMessage`, else in ms
 *   maxRounds         { at100000, atLeastOnce }: the caps on `--rounds` for those rows
 *   setUp(size, delivery) → { namespace, publisher, subscribeMs, registerMs?, tearDown(),
 *                     count() → { received, ackFailures } }: N identities subscribed
 *   once(setup, size, delivery, payload) → { reportMs, lastMs, bad, ...cpu fields }: one
 *                     multicast, timed until the last subscriber has it
 *   profile?(setup, rowName) → stop(): CPU profiles around a row's measured rounds
 */
export async function runDeliveryBench(bench) {
  const sizes = list(benchOption('sizes', '100,1000,10000,100000'));
  const aloSizes = list(benchOption('alo', '1000,10000'));
  const rounds = Number(benchOption('rounds', '15'));
  const sustainedS = Number(benchOption('sustained', '3'));
  console.log(
    `${bench.title} (node ${process.version}, ${cpus().length} CPUs, load average ${load()}); ${rounds} rounds per size${bench.details ?? ''}`,
  );
  console.log(bench.cpuNote);
  const rows = [];
  for (const size of sizes) {
    rows.push(await row(bench, rounds, size, 'at-most-once'));
    console.table([rows.at(-1)]);
  }
  for (const size of aloSizes) {
    rows.push(await row(bench, rounds, size, 'at-least-once'));
    console.table([rows.at(-1)]);
  }
  console.log(`\nSummary (load average now ${load()})`);
  console.table(rows);
  if (sustainedS > 0) {
    console.log(
      `\nSustained multicast at 1,000 targets (at-most-once, 4 in flight, ${sustainedS} s)`,
    );
    console.table([await sustained(bench, sustainedS)]);
  }
}

async function row(bench, maxRounds, size, delivery) {
  const setup = await bench.setUp(size, delivery);
  try {
    const payload = new Uint8Array(64).fill(7);
    // Warm-up rounds (JIT): the first multicasts of a process cost several times the later ones,
    // and optimisation needs messages, not rounds: at least 100,000 messages (or 10 rounds)
    // before measuring at-most-once, as a server that has been running a while is warm.
    const warmUps =
      size <= 10_000 && delivery === 'at-most-once'
        ? Math.max(10, Math.min(1_000, Math.ceil(100_000 / size)))
        : 1;
    for (let w = 0; w < warmUps; w++) await bench.once(setup, size, delivery, payload);
    const rounds =
      size >= 100_000
        ? Math.min(maxRounds, bench.maxRounds.at100000)
        : delivery === 'at-least-once'
          ? Math.min(maxRounds, bench.maxRounds.atLeastOnce)
          : maxRounds;
    const { received: startCount } = await setup.count();
    const stopProfile = await bench.profile?.(setup, `${delivery}-${size}`);
    const results = [];
    for (let r = 0; r < rounds; r++) results.push(await bench.once(setup, size, delivery, payload));
    await stopProfile?.();
    await sleep(200); // anything late (or duplicated) is counted too
    const counted = await setup.count();
    const delivered = (counted.received - startCount) / (size * rounds);
    const last = results.map((r) => r.lastMs);
    const lastMedian = median(last);
    const cpu = {};
    for (const { label, field, perMessage } of bench.cpuColumns) {
      const cpuMs = median(results.map((r) => r[field]));
      cpu[label] = perMessage ? us((cpuMs * 1000) / size) : ms(cpuMs);
    }
    return {
      targets: size.toLocaleString('en-US'),
      delivery,
      ...(setup.registerMs === undefined ? {} : { 'register all (ms)': ms(setup.registerMs) }),
      'subscribe all (ms)': ms(setup.subscribeMs),
      'report (ms, median)': ms(median(results.map((r) => r.reportMs))),
      'last subscriber has it (ms, median)': ms(lastMedian),
      'worst (ms)': ms(Math.max(...last)),
      'messages/s': Math.round((size / lastMedian) * 1000).toLocaleString('en-US'),
      ...cpu,
      delivered: `${(delivered * 100).toFixed(2)}%`,
      'non-SENT/QUEUED': results.reduce((sum, r) => sum + r.bad, 0),
      ...(delivery === 'at-least-once' ? { 'failed acks': counted.ackFailures } : {}),
    };
  } finally {
    await setup.tearDown();
  }
}

/** Multicasts to 1,000 back to back (up to 4 in flight) for `seconds`. */
async function sustained(bench, seconds) {
  const size = 1_000;
  const setup = await bench.setUp(size, 'at-most-once');
  try {
    const payload = new Uint8Array(64).fill(1);
    const { received: startCount } = await setup.count();
    const until = performance.now() + seconds * 1000;
    let multicasts = 0;
    const worker = async () => {
      while (performance.now() < until) {
        await setup.publisher.multicast(setup.namespace, { payload });
        multicasts++;
      }
    };
    const started = performance.now();
    await Promise.all([worker(), worker(), worker(), worker()]);
    const elapsed = performance.now() - started;
    let received = 0;
    const deadline = performance.now() + 10_000;
    do {
      await sleep(20);
      received = (await setup.count()).received - startCount;
    } while (received < multicasts * size && performance.now() < deadline);
    return {
      targets: '1,000',
      'multicasts/s': Math.round((multicasts / elapsed) * 1000).toLocaleString('en-US'),
      'messages/s': Math.round((received / elapsed) * 1000).toLocaleString('en-US'),
      delivered: `${((received / (multicasts * size)) * 100).toFixed(2)}%`,
      seconds: (elapsed / 1000).toFixed(1),
    };
  } finally {
    await setup.tearDown();
  }
}

const list = (text) => (text === '' || text === 'none' ? [] : text.split(',').map(Number));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
const us = (value) => (value >= 10 ? value.toFixed(1) : value.toFixed(2));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
