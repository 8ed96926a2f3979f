const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The fields of an RFC 3339 date-time, read by hand (a regex match costs more than the rest). */
interface DateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number;
  /** Already `toISOString()` form: `T`, three fraction digits, `Z`, no leap second. */
  canonical: boolean;
}

/**
 * Parses an RFC 3339 date-time (`2026-01-31T12:00:00Z`, `2026-01-31T13:00:00.5+01:00`; `T` or a
 * space, an offset required) into epoch milliseconds, or undefined when it is not one. Fractions
 * beyond milliseconds are truncated; a leap second (`:60`) counts as the next second. Results
 * outside years 0000..9999 UTC are refused, so that `toISOString()` keeps its sortable
 * 24-character form.
 */
export function parseTimestamp(text: string): number | undefined {
  const parts = readDateTime(text);
  return parts === undefined ? undefined : toEpoch(parts);
}

/** `parseTimestamp` then `toISOString()`: the one UTC form stored, which sorts as text. */
export function normalizeTimestamp(text: string): string | undefined {
  const parts = readDateTime(text);
  if (parts === undefined) return undefined;
  if (parts.canonical) return text;
  const epoch = toEpoch(parts);
  return epoch === undefined ? undefined : new Date(epoch).toISOString();
}

function readDateTime(text: string): DateTime | undefined {
  const length = text.length;
  if (length < 20) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const separator = text.charCodeAt(10);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 60 ||
    hour < 0 ||
    minute < 0 ||
    second < 0 ||
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    !(separator === 0x54 || separator === 0x74 || separator === 0x20) ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a
  )
    return undefined;
  let position = 19;
  let millisecond = 0;
  let fractionDigits = 0;
  if (text.charCodeAt(position) === 0x2e) {
    position++;
    while (position < length && isDigit(text.charCodeAt(position))) {
      if (fractionDigits < 3) millisecond = millisecond * 10 + (text.charCodeAt(position) - 0x30);
      fractionDigits++;
      position++;
    }
    if (fractionDigits === 0) return undefined;
    for (let i = fractionDigits; i < 3; i++) millisecond *= 10;
  }
  const zone = text.charCodeAt(position);
  let offsetMinutes = 0;
  if (zone === 0x5a || zone === 0x7a) {
    if (position + 1 !== length) return undefined;
  } else if (zone === 0x2b || zone === 0x2d) {
    const offsetHour = digits(text, position + 1, 2);
    const offsetMinute = digits(text, position + 4, 2);
    if (
      position + 6 !== length ||
      text.charCodeAt(position + 3) !== 0x3a ||
      offsetHour < 0 ||
      offsetHour > 23 ||
      offsetMinute < 0 ||
      offsetMinute > 59
    )
      return undefined;
    offsetMinutes = (offsetHour * 60 + offsetMinute) * (zone === 0x2d ? -1 : 1);
  } else return undefined;
  const canonical = separator === 0x54 && fractionDigits === 3 && zone === 0x5a && second < 60;
  return { year, month, day, hour, minute, second, millisecond, offsetMinutes, canonical };
}

function toEpoch(parts: DateTime): number | undefined {
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(parts.year, parts.month - 1, parts.day);
  date.setUTCHours(parts.hour, parts.minute, parts.second, parts.millisecond);
  const epoch = date.getTime() - parts.offsetMinutes * 60_000;
  return epoch < MIN_EPOCH || epoch > MAX_EPOCH ? undefined : epoch;
}

const MIN_EPOCH = new Date(0).setUTCFullYear(0, 0, 1);
const MAX_EPOCH = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The decimal value of `count` ASCII digits at `start`, or -1. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const unit = text.charCodeAt(i);
    if (!isDigit(unit)) return -1;
    value = value * 10 + (unit - 0x30);
  }
  return value;
}

function isDigit(unit: number): boolean {
  return unit >= 0x30 && unit <= 0x39;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}
