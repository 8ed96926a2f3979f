import type { MulticastReport } from '@muster/core';
import type { KafkaMessage } from 'kafkajs';
import { header } from './envelope-record.js';
import { splitMarkKey } from './report-keys.js';
import { decodeReportValue } from './report-value.js';

/** Header of a report record: its expiresAt (epoch ms, the caller's clock). */
export const EXPIRES_AT_HEADER = 'x';

interface StoredReport {
  readonly multicastId: string;
  /** The JSON columns as text (a copy: fetch buffers may be slices of a larger response). */
  readonly value: string;
  readonly expiresAt: number;
}

/** Keys whose records an expiry sweep tombstones. */
export interface ExpiredKeys {
  readonly reports: readonly string[];
  readonly marks: readonly { readonly report: string; readonly identity: string }[];
}

/**
 * A process's view of the two compacted report topics, built by reading them from the
 * beginning: the last report record per key (a null value deletes it), and per report key the
 * identities that acked with the expiry of their mark. Decoding waits until a load asks.
 */
export class ReportView {
  readonly #reports = new Map<string, StoredReport>();
  readonly #marks = new Map<string, Map<string, number>>();

  get size(): number {
    return this.#reports.size;
  }

  applyReports(records: readonly KafkaMessage[]): void {
    for (const record of records) {
      const key = record.key?.toString('utf8');
      if (key === undefined) continue;
      if (record.value === null) {
        this.#reports.delete(key);
        continue;
      }
      const multicastId = header(record.headers ?? {}, 'id');
      const expiresAt = Number(header(record.headers ?? {}, EXPIRES_AT_HEADER));
      this.#reports.set(key, { multicastId, value: record.value.toString('utf8'), expiresAt });
    }
  }

  applyMarks(records: readonly KafkaMessage[]): void {
    for (const record of records) {
      const key = record.key?.toString('utf8');
      if (key === undefined) continue;
      const { report, identity } = splitMarkKey(key);
      if (record.value === null) {
        const marks = this.#marks.get(report);
        marks?.delete(identity);
        if (marks?.size === 0) this.#marks.delete(report);
        continue;
      }
      let marks = this.#marks.get(report);
      if (marks === undefined) {
        marks = new Map();
        this.#marks.set(report, marks);
      }
      const expiresAt = Number(record.value.toString('utf8'));
      marks.set(identity, Math.max(expiresAt, marks.get(identity) ?? expiresAt));
    }
  }

  /** The report with its marks applied; undefined when unknown or `now >= expiresAt`. */
  load(key: string, now: number): MulticastReport | undefined {
    const stored = this.#reports.get(key);
    // Not dropped here: another caller's clock may be behind; sweeps drop with a margin.
    if (stored === undefined || now >= stored.expiresAt) return undefined;
    const marks = this.#marks.get(key);
    return decodeReportValue(
      stored.multicastId,
      stored.value,
      marks === undefined ? undefined : new Set(marks.keys()),
    );
  }

  /**
   * Drops reports with expiresAt <= `before`, and marks whose own expiry and whose report's
   * are both <= `before`; returns their keys for tombstones. A mark of a live report stays
   * (a mark never shortens a report's life).
   */
  dropExpired(before: number): ExpiredKeys {
    const reports: string[] = [];
    const marks: { report: string; identity: string }[] = [];
    for (const [key, stored] of this.#reports)
      if (stored.expiresAt <= before) {
        reports.push(key);
        this.#reports.delete(key);
      }
    for (const [report, identities] of this.#marks) {
      if (this.#reports.has(report)) continue;
      for (const [identity, expiresAt] of identities)
        if (expiresAt <= before) {
          marks.push({ report, identity });
          identities.delete(identity);
        }
      if (identities.size === 0) this.#marks.delete(report);
    }
    return { reports, marks };
  }

  clear(): void {
    this.#reports.clear();
    this.#marks.clear();
  }
}
