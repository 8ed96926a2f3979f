import { type JsonObject, type MessageInitShape, toJson } from '@bufbuild/protobuf';
import {
  type Duration,
  durationMs,
  timestampFromMs,
  type Value,
  ValueSchema,
} from '@bufbuild/protobuf/wkt';
import {
  DeliveryMode,
  DeliveryStatus,
  type IdentityRecordSchema,
  type MulticastReportSchema,
  SortDirection,
  type SortKey,
  WatchEventReason,
  type WatchEventSchema,
  WatchEventType,
} from '@muster/api';
import type {
  DeliveryMode as CoreDeliveryMode,
  DeliveryStatus as CoreDeliveryStatus,
  FilterInput,
  IdentityRecord,
  MulticastReport,
  SortSpec,
  WatchEvent,
} from '@muster/core';
import { MusterError } from '@muster/core';
import { invalidArgument } from '../errors/rpc-error.js';

export type IdentityRecordInit = MessageInitShape<typeof IdentityRecordSchema>;

/** A record on the wire; `visible` (a key's visible fields) trims the metadata. */
export function recordToProto(
  record: IdentityRecord,
  visible?: (metadata: IdentityRecord['metadata']) => JsonObject,
): IdentityRecordInit {
  return {
    identity: record.identity,
    metadata: visible === undefined ? (record.metadata as JsonObject) : visible(record.metadata),
    registeredAt: timestampFromMs(record.registeredAt),
    updatedAt: timestampFromMs(record.updatedAt),
    ...(record.expiresAt === null ? {} : { expiresAt: timestampFromMs(record.expiresAt) }),
  };
}

const STATUSES: Readonly<Record<CoreDeliveryStatus, DeliveryStatus>> = {
  SENT: DeliveryStatus.SENT,
  DELIVERED: DeliveryStatus.DELIVERED,
  QUEUED: DeliveryStatus.QUEUED,
  NO_SUBSCRIBER: DeliveryStatus.NO_SUBSCRIBER,
  FAILED: DeliveryStatus.FAILED,
  TIMEOUT: DeliveryStatus.TIMEOUT,
};

export function reportToProto(
  report: MulticastReport,
): MessageInitShape<typeof MulticastReportSchema> {
  return {
    multicastId: report.multicastId,
    targetCount: report.targetCount,
    deliveredCount: report.deliveredCount,
    deliveries: report.deliveries.map((delivery) => ({
      identity: delivery.identity,
      status: STATUSES[delivery.status],
      errorCode: delivery.error?.code ?? '',
      errorMessage: delivery.error?.message ?? '',
    })),
  };
}

const EVENT_TYPES: Readonly<Record<WatchEvent['type'], WatchEventType>> = {
  added: WatchEventType.ADDED,
  changed: WatchEventType.CHANGED,
  removed: WatchEventType.REMOVED,
};

const EVENT_REASONS: Readonly<Record<WatchEvent['reason'], WatchEventReason>> = {
  initial: WatchEventReason.INITIAL,
  registered: WatchEventReason.REGISTERED,
  updated: WatchEventReason.UPDATED,
  unregistered: WatchEventReason.UNREGISTERED,
  expired: WatchEventReason.EXPIRED,
};

export function watchEventToProto(
  event: WatchEvent,
  visible?: (metadata: IdentityRecord['metadata']) => JsonObject,
): MessageInitShape<typeof WatchEventSchema> {
  return {
    type: EVENT_TYPES[event.type],
    reason: EVENT_REASONS[event.reason],
    identity: event.identity,
    ...(event.record === undefined ? {} : { record: recordToProto(event.record, visible) }),
    at: timestampFromMs(event.at),
  };
}

/** A filter Value: a string is the filter syntax, an object the JSON form, absent/null all. */
export function filterFromProto(value: Value | undefined): FilterInput | undefined {
  if (value === undefined) return undefined;
  switch (value.kind.case) {
    case undefined:
    case 'nullValue':
      return undefined;
    case 'stringValue':
      return value.kind.value;
    case 'structValue':
      return toJson(ValueSchema, value) as JsonObject;
    default:
      throw new MusterError(
        'INVALID_FILTER',
        'a filter is a string (filter syntax) or an object (JSON form)',
        { details: { field: 'filter' } },
      );
  }
}

/** A Duration as whole milliseconds; `field` names it in the error. */
export function durationToMs(duration: Duration | undefined, field: string): number | undefined {
  if (duration === undefined) return undefined;
  const ms = durationMs(duration);
  if (!Number.isFinite(ms) || ms <= 0)
    throw invalidArgument(`${field} must be a positive duration`, { field });
  return Math.max(1, Math.round(ms));
}

export function sortFromProto(sort: readonly SortKey[]): SortSpec[] | undefined {
  if (sort.length === 0) return undefined;
  return sort.map((key) => ({
    by: key.by,
    direction: key.direction === SortDirection.DESC ? 'desc' : 'asc',
  }));
}

export function deliveryFromProto(mode: DeliveryMode): CoreDeliveryMode {
  switch (mode) {
    case DeliveryMode.ACKED:
      return 'acked';
    case DeliveryMode.AT_LEAST_ONCE:
      return 'at-least-once';
    case DeliveryMode.AT_MOST_ONCE:
    case DeliveryMode.UNSPECIFIED:
      return 'at-most-once';
    default:
      throw invalidArgument(`unknown delivery mode ${String(mode)}`, { field: 'delivery' });
  }
}
