import { MusterError } from '@muster/core';
import { parseDuration } from '../config/parse-duration.js';

/** Typed reads of a slot's free-form settings; a wrong type is a clear configuration error. */
export class SlotSettings {
  constructor(
    private readonly settings: Readonly<Record<string, unknown>>,
    private readonly where: string,
  ) {}

  string(...keys: string[]): string | undefined {
    for (const key of keys) {
      const value = this.settings[key];
      if (value === undefined) continue;
      if (typeof value === 'string' || typeof value === 'number') return String(value);
      throw this.#wrong(key, 'a string');
    }
    return undefined;
  }

  strings(...keys: string[]): string[] | undefined {
    for (const key of keys) {
      const value = this.settings[key];
      if (value === undefined) continue;
      if (typeof value === 'string') return value.split(',').map((item) => item.trim());
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
      throw this.#wrong(key, 'a string or a list of strings');
    }
    return undefined;
  }

  number(key: string): number | undefined {
    const value = this.settings[key];
    if (value === undefined) return undefined;
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) throw this.#wrong(key, 'a number');
    return number;
  }

  /** A whole number, `least` or more (a count, a length). */
  count(key: string, least = 0): number | undefined {
    const value = this.settings[key];
    if (value === undefined) return undefined;
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < least)
      throw this.#wrong(key, `a whole number, ${least} or more`);
    return number;
  }

  durationMs(key: string): number | undefined {
    const value = this.settings[key];
    if (value === undefined) return undefined;
    const ms =
      typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms === undefined) throw this.#wrong(key, 'a duration (seconds, or 100ms, 30s, 5m, 2h, 7d)');
    return ms;
  }

  // `key` and `expected` let a config check report the problem at the setting's own line.
  #wrong(key: string, expected: string): MusterError {
    return new MusterError(
      'INVALID_ARGUMENT',
      `${this.where}.${key} must be ${expected}, not ${JSON.stringify(this.settings[key])}`,
      { details: { field: `${this.where}.${key}`, key, expected } },
    );
  }
}
