import { isConnectionLoss } from './driver-error.js';

/**
 * Runs a read, and once more when it failed because the connection was lost (a dead pooled
 * client, a server restart) and the slot is still open: reads are safe to repeat, writes are not.
 */
export async function retryAfterConnectionLoss<T>(
  closed: () => boolean,
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (closed() || !isConnectionLoss(error)) throw error;
    return body();
  }
}
