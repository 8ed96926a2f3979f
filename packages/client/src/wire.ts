// Conversions between the client's plain types and the generated muster.v1 messages.
import { fromJson, type JsonValue as ProtoJsonValue } from '@bufbuild/protobuf';
import { type Timestamp, timestampMs, type Value, ValueSchema } from '@bufbuild/protobuf/wkt';
import {
  DeliveryMode as WireDeliveryMode,
  DeliveryStatus as WireDeliveryStatus,
  type IdentityRecord as WireIdentityRecord,
  type MulticastReport as WireMulticastReport,
  type WatchEvent as WireWatchEvent,
  WatchEventReason as WireWatchEventReason,
  WatchEventType as WireWatchEventType,
} from '@muster/api';
import type {
  DeliveryMode,
  DeliveryStatus,
  FilterInput,
  IdentityRecord,
  MulticastReport,
  WatchEvent,
} from './client-api.js';
import { MusterError } from './muster-error.js';

/** A filter as a google.protobuf.Value: a string stays a string, the JSON form an object. */
export function toWireFilter(filter: FilterInput | undefined): Value | undefined {
  if (filter === undefined) return undefined;
  try {
    return fromJson(ValueSchema, filter as ProtoJsonValue);
  } catch (error) {
    throw new MusterError('INVALID_FILTER', 'the filter is not a string or a JSON object', {
      cause: error,
    });
  }
}

const DELIVERY_MODES: Record<DeliveryMode, WireDeliveryMode> = {
  'at-most-once': WireDeliveryMode.AT_MOST_ONCE,
  acked: WireDeliveryMode.ACKED,
  'at-least-once': WireDeliveryMode.AT_LEAST_ONCE,
};

export function toWireDeliveryMode(mode: DeliveryMode | undefined): WireDeliveryMode {
  if (mode === undefined) return WireDeliveryMode.UNSPECIFIED;
  const wire = DELIVERY_MODES[mode];
  if (wire === undefined)
    throw new MusterError('INVALID_ARGUMENT', `unknown delivery mode "${String(mode)}"`, {
      details: { field: 'delivery' },
    });
  return wire;
}

function millis(timestamp: Timestamp | undefined): number {
  return timestamp === undefined ? 0 : timestampMs(timestamp);
}

export function optionalMillis(timestamp: Timestamp | undefined): number | null {
  return timestamp === undefined ? null : timestampMs(timestamp);
}

export function fromWireRecord(record: WireIdentityRecord): IdentityRecord {
  return {
    identity: record.identity,
    metadata: record.metadata ?? {},
    registeredAt: millis(record.registeredAt),
    updatedAt: millis(record.updatedAt),
    expiresAt: optionalMillis(record.expiresAt),
  };
}

const DELIVERY_STATUSES: Record<WireDeliveryStatus, DeliveryStatus> = {
  [WireDeliveryStatus.UNSPECIFIED]: 'FAILED',
  [WireDeliveryStatus.SENT]: 'SENT',
  [WireDeliveryStatus.DELIVERED]: 'DELIVERED',
  [WireDeliveryStatus.QUEUED]: 'QUEUED',
  [WireDeliveryStatus.NO_SUBSCRIBER]: 'NO_SUBSCRIBER',
  [WireDeliveryStatus.FAILED]: 'FAILED',
  [WireDeliveryStatus.TIMEOUT]: 'TIMEOUT',
};

export function fromWireReport(report: WireMulticastReport | undefined): MulticastReport {
  if (report === undefined) throw new MusterError('INTERNAL', 'the server sent no report');
  return {
    multicastId: report.multicastId,
    targetCount: report.targetCount,
    deliveredCount: report.deliveredCount,
    deliveries: report.deliveries.map((delivery) => {
      const status = DELIVERY_STATUSES[delivery.status] ?? 'FAILED';
      return delivery.errorCode === '' && delivery.errorMessage === ''
        ? { identity: delivery.identity, status }
        : {
            identity: delivery.identity,
            status,
            error: { code: delivery.errorCode, message: delivery.errorMessage },
          };
    }),
  };
}

const EVENT_TYPES: Partial<Record<WireWatchEventType, WatchEvent['type']>> = {
  [WireWatchEventType.ADDED]: 'added',
  [WireWatchEventType.CHANGED]: 'changed',
  [WireWatchEventType.REMOVED]: 'removed',
};

const EVENT_REASONS: Partial<Record<WireWatchEventReason, WatchEvent['reason']>> = {
  [WireWatchEventReason.INITIAL]: 'initial',
  [WireWatchEventReason.REGISTERED]: 'registered',
  [WireWatchEventReason.UPDATED]: 'updated',
  [WireWatchEventReason.UNREGISTERED]: 'unregistered',
  [WireWatchEventReason.EXPIRED]: 'expired',
};

export function fromWireWatchEvent(event: WireWatchEvent): WatchEvent {
  const type = EVENT_TYPES[event.type];
  const reason = EVENT_REASONS[event.reason];
  if (type === undefined || reason === undefined)
    throw new MusterError('INTERNAL', `the server sent an unknown watch event (${event.type})`);
  const base = { type, reason, identity: event.identity, at: millis(event.at) };
  return event.record === undefined ? base : { ...base, record: fromWireRecord(event.record) };
}
