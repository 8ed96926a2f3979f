const MAX_CELL = 40;

/** A metadata value in a table cell: strings bare, anything else as JSON, long ones cut. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '-';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}
