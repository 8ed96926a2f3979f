import { create, fromBinary, fromJson, toBinary, toJson } from '@bufbuild/protobuf';
import { durationMs, timestampFromMs } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import {
  DeliveryMode,
  EnumerateRequestSchema,
  MulticastRequestSchema,
  RegisterRequestSchema,
  RegistryService,
  WatchEventType,
  WatchResponseSchema,
} from '../src/index.js';

describe('the Connect JSON form of muster.v1', () => {
  it('takes a filter as a string (filter syntax) or an object (JSON form)', () => {
    const byString = fromJson(EnumerateRequestSchema, {
      namespace: 'iot',
      filter: 'battery_level < 0.2',
      limit: 10,
    });
    expect(byString.filter?.kind).toEqual({ case: 'stringValue', value: 'battery_level < 0.2' });
    const byObject = fromJson(EnumerateRequestSchema, {
      namespace: 'iot',
      filter: { 'battery_level.lt': 0.2 },
    });
    expect(byObject.filter?.kind.case).toBe('structValue');
    expect(toJson(EnumerateRequestSchema, byObject)).toEqual({
      namespace: 'iot',
      filter: { 'battery_level.lt': 0.2 },
    });
  });

  it('reads metadata as a JSON object, TTLs as durations and payloads as base64', () => {
    const register = fromJson(RegisterRequestSchema, {
      namespace: 'presence',
      identity: 'alice',
      metadata: { status: 'online', rooms: ['eng'], nested: { a: 1 } },
      ttl: '30s',
    });
    expect(register.metadata).toEqual({ status: 'online', rooms: ['eng'], nested: { a: 1 } });
    expect(durationMs(register.ttl!)).toBe(30_000);
    const multicast = fromJson(MulticastRequestSchema, {
      namespace: 'presence',
      payload: Buffer.from('hello').toString('base64'),
      delivery: 'DELIVERY_MODE_ACKED',
    });
    expect(new TextDecoder().decode(multicast.payload)).toBe('hello');
    expect(multicast.delivery).toBe(DeliveryMode.ACKED);
  });

  it('round-trips a watch event through the binary (gRPC) encoding', () => {
    const response = create(WatchResponseSchema, {
      event: {
        case: 'change',
        value: {
          type: WatchEventType.ADDED,
          identity: 'd1',
          at: timestampFromMs(1_700_000_000_000),
        },
      },
    });
    const decoded = fromBinary(WatchResponseSchema, toBinary(WatchResponseSchema, response));
    expect(decoded.event.case).toBe('change');
    expect(toJson(WatchResponseSchema, decoded)).toEqual({
      change: { type: 'WATCH_EVENT_TYPE_ADDED', identity: 'd1', at: '2023-11-14T22:13:20Z' },
    });
  });

  it('describes the ten RPCs of RegistryService', () => {
    expect(RegistryService.typeName).toBe('muster.v1.RegistryService');
    expect(Object.keys(RegistryService.method).sort()).toEqual(
      [
        'ack',
        'enumerate',
        'get',
        'getMulticast',
        'heartbeat',
        'multicast',
        'register',
        'subscribe',
        'unregister',
        'watch',
      ].sort(),
    );
    expect(RegistryService.method.subscribe.methodKind).toBe('server_streaming');
    expect(RegistryService.method.watch.methodKind).toBe('server_streaming');
  });
});
