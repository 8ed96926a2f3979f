import { afterEach } from 'vitest';
import type { Muster } from '../../../src/coordinator/muster-api.js';
import { musterFor } from './slots.js';

/** `open(...)` builds a coordinator like `musterFor`; every one is closed after each test. */
export function useMusters(): (...args: Parameters<typeof musterFor>) => Muster {
  const opened: Muster[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((muster) => muster.close()));
  });
  return (...args) => {
    const muster = musterFor(...args);
    opened.push(muster);
    return muster;
  };
}
