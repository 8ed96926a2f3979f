/**
 * Walks a registry slot's enumerate for `filter` from the first page to the last (as a multicast
 * resolves its targets) and returns how many items it saw.
 */
export async function walkCount(registry, namespace, filter, { limit, includeMetadata, now }) {
  let cursor;
  let count = 0;
  do {
    const page = await registry.enumerate(
      namespace,
      {
        filter,
        limit,
        sort: [],
        includeMetadata,
        totalCount: false,
        ...(cursor ? { cursor } : {}),
      },
      now,
    );
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return count;
}
