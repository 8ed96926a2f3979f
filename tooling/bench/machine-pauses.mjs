/**
 * How long this machine stops a running process that does nothing but compute: a loop reads the
 * clock between small steps of arithmetic over a buffer (no I/O; one getrusage per step, to
 * count context switches) and counts the gaps. On quiet hardware the longest gap is well under a millisecond; on a
 * virtual machine whose host deschedules it, gaps of tens of milliseconds show what any
 * single-threaded server there (Redis, this process) will sometimes stall for, whatever it runs.
 *
 *   node tooling/bench/machine-pauses.mjs [--seconds 20] [--mib 16]
 *
 * Prints the gaps over 1, 2, 5 and 10 ms, the longest, and how many of the gaps over 2 ms came
 * with a context switch of this process (the kernel ran something else) or without one (the
 * whole virtual CPU stopped, or an interrupt ran long).
 */
import { resourceUsage } from 'node:process';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(argv[i + 1]);
};
const seconds = option('seconds', 20);
const buffer = new Uint32Array((option('mib', 16) * 1024 * 1024) / 4).fill(1);

const switches = () => {
  const usage = resourceUsage();
  return usage.voluntaryContextSwitches + usage.involuntaryContextSwitches;
};
const over = { 1: 0, 2: 0, 5: 0, 10: 0 };
let longest = 0;
let withSwitch = 0;
let withoutSwitch = 0;
let x = 2463534242;
const start = performance.now();
let last = start;
let switched = switches();
while (last - start < seconds * 1000) {
  for (let k = 0; k < 64; k++) {
    // xorshift32: a cheap pseudo-random walk over the buffer.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buffer[(x >>> 0) % buffer.length]++;
  }
  const now = performance.now();
  const gap = now - last;
  last = now;
  // Read every step (a cheap system call), so a gap's switch is told apart from earlier ones.
  const count = switches();
  if (gap > 1) {
    for (const limit of [1, 2, 5, 10]) if (gap > limit) over[limit]++;
    longest = Math.max(longest, gap);
    if (gap > 2) {
      if (count > switched) withSwitch++;
      else withoutSwitch++;
    }
  }
  switched = count;
}
console.log(
  `${seconds} s of computing: gaps over 1 ms ${over[1]}, over 2 ms ${over[2]}, over 5 ms ${over[5]}, over 10 ms ${over[10]}; longest ${longest.toFixed(2)} ms; gaps over 2 ms with a context switch ${withSwitch}, without ${withoutSwitch}`,
);
