import type { DeliveryStatus, IdentityDelivery, MulticastReport } from '@muster/core';

/**
 * A report as stored in `durable_reports.body`: one JSON text laid out by columns rather than
 * one object per target, so 100,000 targets cost an identity string and a small number each
 * (and TOAST compresses what repeats). `k` lists the statuses used; `s[n]` indexes it for
 * target n. Fields a delivery carries beyond identity/status/error (the messaging slot's
 * `messageId`, which the coordinator passes through) are kept too, in `x`, one column each.
 */
interface ReportBody {
  /** Format version. */
  readonly v: 1;
  readonly t: number;
  readonly d: number;
  readonly k: readonly string[];
  readonly i: readonly string[];
  readonly s: readonly number[];
  /** Errors as [target index, code, message], for the targets that have one. */
  readonly e?: readonly (readonly [number, string, string])[];
  /** Other fields as [name, column]. */
  readonly x?: readonly (readonly [string, ExtraColumn])[];
}

/**
 * One extra field over all targets, null where a target lacks it. Strings lose their common
 * prefix (`p`), so ids like `<multicastId>-<n>` cost a few bytes each; other values are as is.
 */
type ExtraColumn =
  | { readonly p: string; readonly v: readonly (string | null)[] }
  | { readonly j: readonly unknown[] };

const OWN_FIELDS = new Set(['identity', 'status', 'error']);

/** The stored text of a (checked) report. */
export function encodeReportBody(report: MulticastReport): string {
  const statusKeys: string[] = [];
  const keyIndex = new Map<string, number>();
  const deliveries = report.deliveries;
  const identities = new Array<string>(deliveries.length);
  const statuses = new Array<number>(deliveries.length);
  const errors: [number, string, string][] = [];
  let extras: Map<string, unknown[]> | undefined;
  for (let n = 0; n < deliveries.length; n++) {
    const delivery = deliveries[n]!;
    let index = keyIndex.get(delivery.status);
    if (index === undefined) {
      index = statusKeys.length;
      statusKeys.push(delivery.status);
      keyIndex.set(delivery.status, index);
    }
    identities[n] = delivery.identity;
    statuses[n] = index;
    if (delivery.error !== undefined) errors.push([n, delivery.error.code, delivery.error.message]);
    for (const field in delivery) {
      if (OWN_FIELDS.has(field)) continue;
      const value = (delivery as unknown as Record<string, unknown>)[field];
      if (value === undefined || value === null) continue;
      extras ??= new Map();
      let column = extras.get(field);
      if (column === undefined) {
        column = new Array<unknown>(deliveries.length).fill(null);
        extras.set(field, column);
      }
      column[n] = value;
    }
  }
  const body: ReportBody = {
    v: 1,
    t: report.targetCount,
    d: report.deliveredCount,
    k: statusKeys,
    i: identities,
    s: statuses,
    ...(errors.length > 0 ? { e: errors } : {}),
    ...(extras === undefined
      ? {}
      : { x: [...extras].map(([field, values]) => [field, encodeColumn(values)] as const) }),
  };
  return JSON.stringify(body);
}

/**
 * The report a stored text holds, with the `marked` targets DELIVERED (identity and status
 * only, as the in-memory slot shows them) and `deliveredCount` recounted when there are marks;
 * marks for non-targets change nothing.
 */
export function decodeReportBody(
  multicastId: string,
  text: string,
  marked: readonly string[],
): MulticastReport {
  const body = JSON.parse(text) as ReportBody;
  const errors = new Map<number, { code: string; message: string }>();
  for (const [n, code, message] of body.e ?? []) errors.set(n, { code, message });
  const extras = (body.x ?? []).map(([field, column]) => [field, decodeColumn(column)] as const);
  const marks = marked.length > 0 ? new Set(marked) : undefined;
  const deliveries = new Array<IdentityDelivery>(body.i.length);
  let deliveredCount = 0;
  for (let n = 0; n < body.i.length; n++) {
    const identity = body.i[n]!;
    const status = body.k[body.s[n]!] as DeliveryStatus;
    if (status !== 'DELIVERED' && marks?.has(identity)) {
      deliveries[n] = { identity, status: 'DELIVERED' };
      deliveredCount++;
      continue;
    }
    if (status === 'DELIVERED') deliveredCount++;
    const delivery: Record<string, unknown> = { identity, status };
    const error = errors.get(n);
    if (error !== undefined) delivery.error = error;
    for (const [field, values] of extras) {
      const value = values[n];
      if (value !== null && value !== undefined) delivery[field] = value;
    }
    deliveries[n] = delivery as unknown as IdentityDelivery;
  }
  return {
    multicastId,
    targetCount: body.t,
    deliveredCount: marks === undefined ? body.d : deliveredCount,
    deliveries,
  };
}

function encodeColumn(values: readonly unknown[]): ExtraColumn {
  let prefix: string | undefined;
  for (const value of values) {
    if (value === null) continue;
    if (typeof value !== 'string') return { j: values };
    prefix = prefix === undefined ? value : commonPrefix(prefix, value);
  }
  const p = prefix ?? '';
  return {
    p,
    v: values.map((value) => (value === null ? null : (value as string).slice(p.length))),
  };
}

function decodeColumn(column: ExtraColumn): readonly unknown[] {
  if ('j' in column) return column.j;
  const { p, v } = column;
  return v.map((suffix) => (suffix === null ? null : p + suffix));
}

function commonPrefix(a: string, b: string): string {
  let n = 0;
  const end = Math.min(a.length, b.length);
  while (n < end && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  // Not between the halves of a surrogate pair: each part must stay valid UTF-16 in JSON text.
  if (n > 0 && n < a.length && isHighSurrogate(a.charCodeAt(n - 1))) n--;
  return n === a.length ? a : a.slice(0, n);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
