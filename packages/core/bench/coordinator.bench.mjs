/**
 * The in-memory default against the earlier Go prototype's in-memory figures (seed summary,
 * MEMO-018, measured on another machine) and against a Go peer rebuilt from that design, run on
 * this machine in the same run (tooling/bench/go-peer; left out when `go` is not installed),
 * then growth from 1,000 to 1,000,000 identities.
 * Run: pnpm --filter @muster/core bench (builds first). Add `--max 100000` to stop earlier.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMuster } from '../dist/index.js';

const PROTOTYPE_NS = {
  register: 517,
  'register with TTL': 563,
  unregister: 245,
  'enumerate 1,000 (no filter)': 9_700,
  'enumerate 1,000 (filter)': 43_700,
  'multicast to 10': 5_100,
  'multicast to 100': 51_300,
  'multicast to 1,000': 528_000,
};

const maxIdentities = Number(process.argv[process.argv.indexOf('--max') + 1]) || 1_000_000;

function metadataFor(i) {
  return {
    device_type: i % 10 === 0 ? 'gateway' : 'sensor',
    battery_level: (i % 1000) / 1000,
    firmware_version: `${1 + (i % 3)}.${i % 5}.0`,
    capabilities: i % 2 === 0 ? ['gps', 'wifi'] : ['ble'],
    location: { building: `B${i % 20}`, floor: i % 8 },
  };
}

/**
 * The prototype's register allocated 4 objects and 337 B per call (its summary's table), so its
 * metadata was built once, outside the timed loop: ours comes from a pool built up front too.
 */
const METADATA = Array.from({ length: 1000 }, (_, i) => metadataFor(i));

/**
 * Best of `rounds` runs of `body(iterations)`, in ns per iteration, after one untimed warm-up
 * run (Go's runner also grows b.N over several untimed runs before the one it reports).
 */
async function best(rounds, iterations, body) {
  await body(iterations, -1);
  let result = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    await body(iterations, round);
    result = Math.min(result, Number(process.hrtime.bigint() - started) / iterations);
  }
  return result;
}

const format = (ns) =>
  ns >= 1_000_000
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1000
      ? `${(ns / 1000).toFixed(2)} µs`
      : `${ns.toFixed(0)} ns`;

/**
 * The floor of an awaited register on this runtime: two async layers, one Map write, the record
 * and its metadata kept alive; no validation at all. Printed beside ours in the same run.
 */
async function floor() {
  const map = new Map();
  const put = async (id, record) => {
    map.set(id, record);
    return record;
  };
  const register = async (request) => {
    const record = {
      identity: request.identity,
      metadata: request.metadata,
      registeredAt: Date.now(),
      updatedAt: 0,
      expiresAt: null,
    };
    await put(request.identity, record);
    return { identity: record.identity, registeredAt: record.registeredAt, expiresAt: null };
  };
  const remove = async (id) => map.delete(id);
  const unregister = async (id) => ({ removed: await remove(id) });
  const N = 20_000;
  return {
    register: await best(5, N, async (n, round) => {
      for (let i = 0; i < n; i++)
        await register({ identity: `r${round}-${i}`, metadata: METADATA[i % 1000] });
    }),
    unregister: await best(5, N, async (n, round) => {
      for (let i = 0; i < n; i++) await unregister(`r${round}-${i}`);
    }),
  };
}

/** One head-to-head row: its own setup, then the best of 5 timed rounds, in ns per operation. */
const ROWS = {
  floor: async () => floor(),
  register: async (muster) =>
    best(5, 20_000, async (n, round) => {
      for (let i = 0; i < n; i++)
        await muster.register('bench', {
          identity: `r${round}-${i}`,
          metadata: METADATA[i % 1000],
        });
    }),
  'register with TTL': async (muster) =>
    best(5, 20_000, async (n, round) => {
      for (let i = 0; i < n; i++)
        await muster.register('bench', {
          identity: `t${round}-${i}`,
          metadata: METADATA[i % 1000],
          ttlMs: 60_000,
        });
    }),
  unregister: async (muster) => {
    for (let round = -1; round < 5; round++)
      for (let i = 0; i < 20_000; i++)
        await muster.register('bench', { identity: `r${round}-${i}`, metadata: metadataFor(i) });
    return best(5, 20_000, async (n, round) => {
      for (let i = 0; i < n; i++) await muster.unregister('bench', `r${round}-${i}`);
    });
  },
  'enumerate 1,000 (no filter)': async (muster) => {
    await registerEnumerateSet(muster);
    return best(5, 200, async (n) => {
      for (let i = 0; i < n; i++) {
        const page = await muster.enumerate('enum', { limit: 1000 });
        if (page.identities.length !== 1000) throw new Error('enumerate returned too few');
      }
    });
  },
  'enumerate 1,000 (filter)': async (muster) => {
    await registerEnumerateSet(muster);
    const filter = 'battery_level < 0.5 and device_type == "sensor"';
    return best(5, 200, async (n) => {
      for (let i = 0; i < n; i++) await muster.enumerate('enum', { limit: 1000, filter });
    });
  },
  'multicast to 10': async (muster) => multicastRow(muster, 10, 'iterator'),
  'multicast to 100': async (muster) => multicastRow(muster, 100, 'iterator'),
  'multicast to 1,000': async (muster) => multicastRow(muster, 1000, 'iterator'),
  'multicast to 10, onMessage': async (muster) => multicastRow(muster, 10, 'callback'),
  'multicast to 100, onMessage': async (muster) => multicastRow(muster, 100, 'callback'),
  'multicast to 1,000, onMessage': async (muster) => multicastRow(muster, 1000, 'callback'),
};

/** Rows measured beside the prototype's figure for the same operation. */
const SAME_AS = {
  'multicast to 10, onMessage': 'multicast to 10',
  'multicast to 100, onMessage': 'multicast to 100',
  'multicast to 1,000, onMessage': 'multicast to 1,000',
};

async function registerEnumerateSet(muster) {
  for (let i = 0; i < 1000; i++)
    await muster.register('enum', { identity: `e${i}`, metadata: metadataFor(i) });
}

/**
 * Multicast to `size` subscribed identities whose consumers drain meanwhile: with `for await`
 * ('iterator'), or in an onMessage callback ('callback').
 */
async function multicastRow(muster, size, mode) {
  let received = 0;
  const onMessage = () => {
    received++;
  };
  for (let i = 0; i < size; i++) {
    await muster.register('mc', { identity: `m${i}`, metadata: metadataFor(i) });
    if (mode === 'callback') {
      await muster.subscribe('mc', `m${i}`, { onMessage });
      continue;
    }
    const subscription = await muster.subscribe('mc', `m${i}`);
    void (async () => {
      for await (const _ of subscription) received++;
    })();
  }
  const payload = new Uint8Array(64);
  // 200,000 messages a round whatever the size: rounds of a few milliseconds swing with one
  // garbage collection more or less on this VM.
  return best(5, 200_000 / size, async (n) => {
    for (let i = 0; i < n; i++) {
      const report = await muster.multicast('mc', { payload });
      if (report.targetCount !== size) throw new Error('multicast missed targets');
    }
    await new Promise((resolve) => setImmediate(resolve));
  }).then((ns) => {
    if (received === 0) throw new Error('no subscriber received anything');
    return ns;
  });
}

/** Runs one row in this process and prints its figure as JSON (the parent's child mode). */
async function runRow(name) {
  const muster = createMuster({ sweepIntervalMs: 0 });
  const figure = await ROWS[name](muster);
  await muster.close();
  process.stdout.write(JSON.stringify(figure));
}

/**
 * Every row in a fresh process, as Go's benchmark runner gives each benchmark a clean start:
 * one row's garbage and heap growth never slow the next.
 */
function measureRow(name) {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), '--row', name],
    { encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`row ${name} failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

/** The Go peer's benchmark for each head-to-head row (tooling/bench/go-peer). */
const GO_PEER_BENCHMARK = {
  register: 'Register',
  'register with TTL': 'RegisterWithTTL',
  unregister: 'Unregister',
  'enumerate 1,000 (no filter)': 'Enumerate1000NoFilter',
  'enumerate 1,000 (filter)': 'Enumerate1000Filter',
  'multicast to 10': 'Multicast10',
  'multicast to 100': 'Multicast100',
  'multicast to 1,000': 'Multicast1000',
};

/**
 * The Go peer's figures from this machine, in ns per operation by benchmark name: the best of
 * three runs of each, as ours are the best of five rounds. Empty when `go` is not installed.
 */
function goPeer() {
  const directory = fileURLToPath(new URL('../../../tooling/bench/go-peer', import.meta.url));
  const run = spawnSync('go', ['test', '-run', '^$', '-bench', '.', '-count', '3'], {
    cwd: directory,
    encoding: 'utf8',
  });
  const figures = {};
  if (run.error !== undefined) {
    console.log(`(no Go peer: ${run.error.message}; install Go 1.19+ to print it)\n`);
    return figures;
  }
  if (run.status !== 0) throw new Error(`the Go peer failed: ${run.stderr}${run.stdout}`);
  for (const match of run.stdout.matchAll(/^Benchmark(\w+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns\/op/gm)) {
    const ns = Number(match[2]);
    figures[match[1]] = Math.min(figures[match[1]] ?? Number.POSITIVE_INFINITY, ns);
  }
  return figures;
}

function headToHead() {
  const peer = goPeer();
  const bare = measureRow('floor');
  console.log(
    '| operation | Go prototype (its summary) | Go peer, this machine | muster | speed-up on the prototype | speed-up on the peer | floor: bare awaited Map op, same run |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const rows = [
    ...Object.entries(PROTOTYPE_NS),
    ...Object.entries(SAME_AS).map(([name, same]) => [name, PROTOTYPE_NS[same]]),
  ];
  for (const [name, prototype] of rows) {
    const ours = measureRow(name);
    const peerNs = peer[GO_PEER_BENCHMARK[SAME_AS[name] ?? name]];
    const floorNs = name.startsWith('register')
      ? bare.register
      : name === 'unregister'
        ? bare.unregister
        : undefined;
    console.log(
      `| ${name} | ${format(prototype)} | ${peerNs === undefined ? '-' : format(peerNs)} | ${format(ours)} | ${(prototype / ours).toFixed(1)}x | ${peerNs === undefined ? '-' : `${(peerNs / ours).toFixed(1)}x`} | ${floorNs === undefined ? '' : format(floorNs)} |`,
    );
  }
}

async function growth() {
  console.log('');
  console.log(
    '| identities | register ns/op | heartbeatMany ns/identity | enumerate page of 100, 1% filter | full walk, 1% filter | ns per identity walked | multicast to all (nobody subscribed) | unregister ns/op | heap MiB |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (let size = 1000; size <= maxIdentities; size *= 10) {
    const muster = createMuster({ sweepIntervalMs: 0, namespaces: { g: { maxTtlMs: 3_600_000 } } });
    let started = process.hrtime.bigint();
    for (let i = 0; i < size; i++)
      await muster.register('g', { identity: `d${i}`, metadata: metadataFor(i), ttlMs: 600_000 });
    const registerNs = Number(process.hrtime.bigint() - started) / size;

    const ids = Array.from({ length: size }, (_, i) => `d${i}`);
    started = process.hrtime.bigint();
    await muster.heartbeatMany('g', ids, { ttlMs: 600_000 });
    const heartbeatNs = Number(process.hrtime.bigint() - started) / size;

    // About 1% match: battery_level < 0.01.
    const selective = 'battery_level < 0.01';
    const pageNs = await best(5, 20, async (n) => {
      for (let i = 0; i < n; i++) await muster.enumerate('g', { filter: selective, limit: 100 });
    });
    started = process.hrtime.bigint();
    let walked = 0;
    let cursor;
    do {
      const page = await muster.enumerate('g', {
        filter: selective,
        limit: 1000,
        cursor,
        includeMetadata: false,
      });
      walked += page.identities.length;
      cursor = page.nextCursor;
    } while (cursor);
    const walkNs = Number(process.hrtime.bigint() - started);
    if (walked !== size / 100) throw new Error(`walk found ${walked}, expected ${size / 100}`);

    started = process.hrtime.bigint();
    const report = await muster.multicast('g', { payload: 'x' });
    const multicastNs = Number(process.hrtime.bigint() - started);
    if (report.targetCount !== size) throw new Error('multicast missed targets');

    const heap = process.memoryUsage().heapUsed / 2 ** 20;
    started = process.hrtime.bigint();
    for (let i = 0; i < size; i++) await muster.unregister('g', `d${i}`);
    const unregisterNs = Number(process.hrtime.bigint() - started) / size;
    await muster.close();
    globalThis.gc?.();
    console.log(
      `| ${size.toLocaleString('en')} | ${registerNs.toFixed(0)} | ${heartbeatNs.toFixed(0)} | ${format(pageNs)} | ${format(walkNs)} | ${(walkNs / size).toFixed(1)} | ${format(multicastNs)} | ${unregisterNs.toFixed(0)} | ${heap.toFixed(0)} |`,
    );
  }
}

const rowArgument = process.argv.indexOf('--row');
if (rowArgument !== -1) {
  await runRow(process.argv[rowArgument + 1]);
} else {
  console.log(
    `node ${process.version}; best of 5 rounds per row, each row in a fresh process; the prototype's figures are from its summary (Go, in memory, another machine); the Go peer (tooling/bench/go-peer) rebuilds its design and runs here, best of 3`,
  );
  console.log('');
  headToHead();
  await growth();
}
