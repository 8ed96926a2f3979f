let counter = 0;
const RUN = Math.random().toString(36).slice(2, 8);

/**
 * A namespace no other test (in this process or in a concurrent run against the same backend)
 * uses: tests stay isolated even when an adapter's factory shares one database.
 */
export function uniqueNamespace(label: string): string {
  counter++;
  return `cf-${RUN}-${counter}-${label.replace(/[^A-Za-z0-9_.-]/g, '-')}`.slice(0, 128);
}
