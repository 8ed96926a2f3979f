import { type DeliveryMark, type MulticastReport, MusterError } from '@muster/core';

/** A report the slot can store (the fields with the right types), else INVALID_ARGUMENT. */
export function checkReport(report: MulticastReport, expiresAt: number): void {
  if (typeof report !== 'object' || report === null) throw invalid('report', 'an object');
  if (typeof report.multicastId !== 'string' || report.multicastId.length === 0)
    throw invalid('report.multicastId', 'a non-empty string');
  if (!Number.isSafeInteger(report.targetCount) || report.targetCount < 0)
    throw invalid('report.targetCount', 'a non-negative integer');
  if (!Number.isSafeInteger(report.deliveredCount) || report.deliveredCount < 0)
    throw invalid('report.deliveredCount', 'a non-negative integer');
  if (!Array.isArray(report.deliveries)) throw invalid('report.deliveries', 'an array');
  const deliveries = report.deliveries;
  for (let n = 0; n < deliveries.length; n++) {
    const delivery = deliveries[n];
    const at = `report.deliveries[${n}]`;
    if (typeof delivery !== 'object' || delivery === null) throw invalid(at, 'an object');
    if (typeof delivery.identity !== 'string') throw invalid(`${at}.identity`, 'a string');
    if (typeof delivery.status !== 'string') throw invalid(`${at}.status`, 'a string');
    const error = delivery.error;
    if (
      error !== undefined &&
      (typeof error !== 'object' ||
        error === null ||
        typeof error.code !== 'string' ||
        typeof error.message !== 'string')
    )
      throw invalid(`${at}.error`, 'absent or { code: string, message: string }');
  }
  if (!Number.isFinite(expiresAt)) throw invalid('expiresAt', 'epoch milliseconds');
}

/** Marks the slot can store, else INVALID_ARGUMENT. */
export function checkDeliveryMarks(marks: readonly DeliveryMark[]): void {
  if (!Array.isArray(marks)) throw invalid('marks', 'an array');
  for (let n = 0; n < marks.length; n++) {
    const mark = marks[n];
    const at = `marks[${n}]`;
    if (typeof mark !== 'object' || mark === null) throw invalid(at, 'an object');
    if (typeof mark.multicastId !== 'string' || mark.multicastId.length === 0)
      throw invalid(`${at}.multicastId`, 'a non-empty string');
    if (typeof mark.identity !== 'string') throw invalid(`${at}.identity`, 'a string');
    if (!Number.isFinite(mark.expiresAt)) throw invalid(`${at}.expiresAt`, 'epoch milliseconds');
  }
}

function invalid(field: string, rule: string): MusterError {
  return new MusterError('INVALID_ARGUMENT', `${field} must be ${rule}`, { details: { field } });
}
