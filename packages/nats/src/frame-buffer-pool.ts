/**
 * Frame buffers kept for reuse between batches. A fresh buffer of a few hundred KiB costs a
 * page fault per 4 KiB the first time it is written, which on a virtual machine that hands
 * memory out lazily costs more than building the frames themselves; a reused one costs none.
 * A buffer comes back only once the server has answered a flush sent after it (the socket has
 * sent every byte of it), so the connection never holds a buffer that is being rewritten.
 */
export class FrameBufferPool {
  readonly #free: Buffer[] = [];
  readonly #maxBuffers: number;
  readonly #maxBytes: number;

  /** Keeps at most `maxBuffers` free buffers, none larger than `maxBytes`. */
  constructor(maxBuffers = 4, maxBytes = 8 * 1024 * 1024) {
    this.#maxBuffers = maxBuffers;
    this.#maxBytes = maxBytes;
  }

  /** A buffer of at least `bytes`: a kept one when one is large enough, else a new one. */
  take(bytes: number): Buffer {
    const free = this.#free;
    for (let i = free.length - 1; i >= 0; i--) {
      const buffer = free[i]!;
      if (buffer.length >= bytes) {
        free.splice(i, 1);
        return buffer;
      }
    }
    return Buffer.allocUnsafe(Math.max(bytes, 4096));
  }

  /** Gives `buffer` back: the connection no longer references it. */
  give(buffer: Buffer): void {
    if (buffer.length > this.#maxBytes) return;
    const free = this.#free;
    if (free.length < this.#maxBuffers) {
      free.push(buffer);
      return;
    }
    // Full: keep the larger buffers, they serve every smaller batch too.
    let smallest = 0;
    for (let i = 1; i < free.length; i++)
      if (free[i]!.length < free[smallest]!.length) smallest = i;
    if (free[smallest]!.length < buffer.length) free[smallest] = buffer;
  }
}
