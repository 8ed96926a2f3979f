import type { FilterNode } from '@muster/filter';

/** What an authorised call may see and reach, from the key that made it. */
export interface Grant {
  /** The key's name (`anonymous` on an open server): for logs, metrics and stream limits. */
  readonly keyName: string;
  /** ANDed into every enumerate, multicast and watch of the key. */
  readonly publisherFilter?: FilterNode;
  /** Top-level or dotted metadata paths the key may see (and filter on); undefined for all. */
  readonly visibleFields?: readonly string[];
  /** Most concurrent Subscribe and Watch streams of the key; undefined for no limit. */
  readonly maxStreams?: number;
}

export const ANONYMOUS: Grant = Object.freeze({ keyName: 'anonymous' });
