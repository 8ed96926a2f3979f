import { InvalidArgumentError } from 'commander';

/** A whole number ≥ 0 given on the command line. */
export function parseCount(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`"${text}" is not a whole number`);
  return Number(text);
}
