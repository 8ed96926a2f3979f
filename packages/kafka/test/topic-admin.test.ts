// Topic creation against a scripted admin client (no broker): the retriable answers a broker
// gives while a new topic's metadata propagates are waited out, other errors are not.
import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { TopicAdmin } from '../src/topic-admin.js';

const SPEC = { partitions: 2, replicationFactor: 1, configs: { 'retention.ms': '60000' } };

/** A kafkajs-shaped error: `retriable` is what kafkajs sets on its protocol errors. */
function protocolError(message: string, retriable: boolean): Error {
  return Object.assign(new Error(message), { retriable });
}

/** A Kafka whose admin answers each call with the next scripted step (a value or an error). */
function scriptedKafka(steps: { createTopics: unknown[]; fetchTopicMetadata: unknown[] }) {
  const calls = { createTopics: 0, fetchTopicMetadata: 0 };
  const next = (name: keyof typeof calls) => {
    const step = steps[name][Math.min(calls[name]++, steps[name].length - 1)];
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  const admin = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    createTopics: () => next('createTopics'),
    fetchTopicMetadata: () => next('fetchTopicMetadata'),
  };
  return { kafka: { admin: () => admin } as unknown as Kafka, calls };
}

/** Ensures topic `t` through a fresh TopicAdmin on the script; the calls each method got. */
async function ensureOnce(steps: Parameters<typeof scriptedKafka>[0]) {
  const { kafka, calls } = scriptedKafka(steps);
  const admin = new TopicAdmin(kafka);
  await admin.ensure('t', SPEC);
  await admin.close();
  return calls;
}

const withLeaders = { topics: [{ partitions: [{ leader: 1 }, { leader: 1 }] }] };
const withoutLeader = { topics: [{ partitions: [{ leader: 1 }, { leader: -1 }] }] };

describe('kafka: TopicAdmin.ensure', () => {
  it('waits out UNKNOWN_TOPIC_OR_PARTITION and a missing leader after creating the topic', async () => {
    const { kafka, calls } = scriptedKafka({
      createTopics: [true],
      fetchTopicMetadata: [
        protocolError('This server does not host this topic-partition', true),
        withoutLeader,
        withLeaders,
      ],
    });
    const admin = new TopicAdmin(kafka);
    await admin.ensure('t', SPEC);
    expect(calls).toEqual({ createTopics: 1, fetchTopicMetadata: 3 });
    await admin.ensure('t', SPEC);
    expect(calls.fetchTopicMetadata, 'a ready topic is not checked again').toBe(3);
    await admin.close();
  });

  it('creates again after a retriable failure of the create itself', async () => {
    const calls = await ensureOnce({
      createTopics: [protocolError('There is no leader for this topic-partition', true), false],
      fetchTopicMetadata: [withLeaders],
    });
    expect(calls).toEqual({ createTopics: 2, fetchTopicMetadata: 1 });
  });

  it('fails at once with UNAVAILABLE on an error that is not retriable, and tries again next time', async () => {
    const { kafka, calls } = scriptedKafka({
      createTopics: [protocolError('Topic authorization failed', false), true],
      fetchTopicMetadata: [withLeaders],
    });
    const admin = new TopicAdmin(kafka);
    await expect(admin.ensure('t', SPEC)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('creating topic t'),
    });
    expect(calls.createTopics).toBe(1);
    await admin.ensure('t', SPEC);
    expect(calls.createTopics).toBe(2);
    await admin.close();
  });
});
