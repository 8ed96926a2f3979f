import type { Path } from '../ast/filter-node.js';

/** Reads one path from a metadata object; `undefined` means missing. */
export type PathReader = (metadata: unknown) => unknown;

// Keys that plain objects inherit: reading them must check own properties, or `constructor`
// and `__proto__` would "exist" in every document.
const INHERITED = (key: string): boolean => key in Object.prototype;

/**
 * Builds a reader specialised for the path's depth. Paths walk objects only: a missing key, or
 * a non-object (arrays included) before the last segment, means the path is missing.
 */
export function resolvePath(path: Path): PathReader {
  if (path.some(INHERITED)) return safeReader(path);
  if (path.length === 1) {
    const k0 = path[0]!;
    return (doc) => (doc as Record<string, unknown>)[k0];
  }
  if (path.length === 2) {
    const k0 = path[0]!;
    const k1 = path[1]!;
    return (doc) => {
      const v = (doc as Record<string, unknown>)[k0];
      return typeof v === 'object' && v !== null && !Array.isArray(v)
        ? (v as Record<string, unknown>)[k1]
        : undefined;
    };
  }
  if (path.length === 3) {
    const k0 = path[0]!;
    const k1 = path[1]!;
    const k2 = path[2]!;
    return (doc) => {
      const v = (doc as Record<string, unknown>)[k0];
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      const w = (v as Record<string, unknown>)[k1];
      return typeof w === 'object' && w !== null && !Array.isArray(w)
        ? (w as Record<string, unknown>)[k2]
        : undefined;
    };
  }
  return safeReader(path);
}

function safeReader(path: Path): PathReader {
  const last = path.length - 1;
  return (doc) => {
    let value: unknown = doc;
    for (let i = 0; i <= last; i++) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      const key = path[i]!;
      if (!Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
}
