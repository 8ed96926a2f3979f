import { percentile } from './percentile.mjs';

/** Runs `body` `runs` times one after another; the p50 and p99 of its durations in ms. */
export async function timeRuns(runs, body) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await body();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}
