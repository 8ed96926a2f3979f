/**
 * In one run, on the same documents: ns per evaluation of our compiled predicate, sift and mingo,
 * for a 1-leaf and a 5-leaf filter over 100,000 generated IoT documents, plus compile time.
 * Run: pnpm --filter @muster/filter bench (builds first)
 */
import { Query } from 'mingo';
import * as siftModule from 'sift';
// The built package, as users run it (source run through a TS loader would time the loader's helpers).
import { compile, compileClosures, parse } from '../dist/index.js';

// sift is CommonJS: its callable default export arrives as the module itself.
const sift = siftModule.default.default;

const DOCUMENTS = 100_000;
const ROUNDS = 15;

function makeDocuments(count) {
  let state = 42;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = (items) => items[Math.floor(random() * items.length)];
  const capabilities = ['gps', 'wifi', 'ble', 'lte', 'camera', 'thermo'];
  return Array.from({ length: count }, (_, i) => ({
    device_id: `dev-${i}`,
    // 2% of battery readings are strings and 1.4% of firmware versions are missing: real data is messy.
    battery_level: random() < 0.02 ? 'low' : Math.round(random() * 1000) / 1000,
    ...(random() < 0.014
      ? {}
      : { firmware_version: `${pick(['1.0', '1.1', '2.0', '2.1'])}.${Math.floor(random() * 10)}` }),
    capabilities: capabilities.filter(() => random() < 0.4),
    region: pick(['eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south']),
    status: pick(['online', 'offline', 'sleeping']),
    location: { building: pick(['B1', 'B2', 'B3', 'HQ']), floor: Math.floor(random() * 10) },
  }));
}

const CASES = [
  { name: '1 leaf', filter: 'battery_level < 0.2', mongo: { battery_level: { $lt: 0.2 } } },
  {
    name: '5 leaves',
    filter:
      'battery_level < 0.2 and firmware_version startswith "1.0" and capabilities contains "gps" and (region in ["eu-west", "eu-central"] or status == "online")',
    mongo: {
      $and: [
        { battery_level: { $lt: 0.2 } },
        { firmware_version: { $regex: /^1\.0/ } },
        { capabilities: 'gps' },
        { $or: [{ region: { $in: ['eu-west', 'eu-central'] } }, { status: 'online' }] },
      ],
    },
  },
];

/** Best-of-rounds ns per evaluation (the least disturbed round), and the match count. */
function measure(predicate, documents, rounds) {
  let best = Number.POSITIVE_INFINITY;
  let matches = 0;
  for (let round = 0; round < rounds; round++) {
    let count = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < documents.length; i++) if (predicate(documents[i])) count++;
    const elapsed = Number(process.hrtime.bigint() - started);
    best = Math.min(best, elapsed / documents.length);
    matches = count;
  }
  return { ns: best, matches };
}

function compileMicros(build, iterations) {
  for (let i = 0; i < 200; i++) build();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) build();
  return Number(process.hrtime.bigint() - started) / iterations / 1000;
}

function heapGrowthPerMillion(predicate, doc) {
  const gc = globalThis.gc;
  if (!gc) return Number.NaN;
  gc();
  const before = process.memoryUsage().heapUsed;
  let sink = 0;
  for (let i = 0; i < 1_000_000; i++) if (predicate(doc)) sink++;
  const after = process.memoryUsage().heapUsed;
  return sink >= 0 ? after - before : 0;
}

const documents = makeDocuments(DOCUMENTS);
console.log(
  `node ${process.version}, ${DOCUMENTS.toLocaleString('en')} documents, best of ${ROUNDS} rounds`,
);
console.log('');
console.log(
  '| filter | muster ns/eval | muster closures ns/eval | sift ns/eval | mingo ns/eval | muster vs sift | muster vs mingo | matches | muster parse µs | muster compile µs | sift compile µs | mingo compile µs | heap growth / 1M evals |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const benchCase of CASES) {
  const ast = parse(benchCase.filter);
  const ours = compile(ast);
  const closures = compileClosures(ast);
  const siftTest = sift(benchCase.mongo);
  const mingoQuery = new Query(benchCase.mongo);
  const mingoTest = (doc) => mingoQuery.test(doc);

  const muster = measure(ours, documents, ROUNDS);
  const closureResult = measure(closures, documents, ROUNDS);
  const siftResult = measure(siftTest, documents, Math.max(3, Math.floor(ROUNDS / 3)));
  const mingoResult = measure(mingoTest, documents, Math.max(3, Math.floor(ROUNDS / 5)));
  const counts = [closureResult.matches, siftResult.matches, mingoResult.matches];
  if (counts.some((count) => count !== muster.matches)) {
    throw new Error(
      `${benchCase.name}: match counts differ (muster ${muster.matches}, closures, sift, mingo ${counts.join(', ')})`,
    );
  }
  const ourParse = compileMicros(() => parse(benchCase.filter), 20_000);
  const ourCompile = compileMicros(() => compile(ast), 20_000);
  const siftCompile = compileMicros(() => sift(benchCase.mongo), 5_000);
  const mingoCompile = compileMicros(() => new Query(benchCase.mongo), 5_000);
  const growth = heapGrowthPerMillion(ours, documents[0]);
  console.log(
    `| ${benchCase.name} | ${muster.ns.toFixed(1)} | ${closureResult.ns.toFixed(1)} | ${siftResult.ns.toFixed(1)} | ${mingoResult.ns.toFixed(1)} | ${(siftResult.ns / muster.ns).toFixed(1)}x | ${(mingoResult.ns / muster.ns).toFixed(1)}x | ${muster.matches} | ${ourParse.toFixed(2)} | ${ourCompile.toFixed(2)} | ${siftCompile.toFixed(2)} | ${mingoCompile.toFixed(2)} | ${Number.isNaN(growth) ? 'n/a' : `${(growth / 1024).toFixed(1)} KiB`} |`,
  );
}
