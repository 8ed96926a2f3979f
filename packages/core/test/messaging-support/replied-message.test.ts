import { expect, it } from 'vitest';
import { publishResult } from '../../src/messaging-support/publish-result.js';
import { RepliedMessage } from '../../src/messaging-support/replied-message.js';

const envelope = {
  messageId: 'm-0',
  multicastId: 'm',
  identity: 'a',
  payload: new Uint8Array(),
  contentType: 'application/octet-stream',
  attempt: 1,
  createdAt: 1,
};

it('a replied message sends its reply on the first ack only', () => {
  let replies = 0;
  const message = new RepliedMessage(envelope, () => replies++);
  expect(replies).toBe(0);
  message.ack();
  message.ack();
  expect(replies).toBe(1);
  expect(message.envelope).toBe(envelope);
});

it('a publish result carries an error only when there is one', () => {
  expect(publishResult(envelope, 'SENT')).toEqual({
    identity: 'a',
    messageId: 'm-0',
    status: 'SENT',
  });
  expect(
    publishResult(envelope, 'FAILED', { code: 'INVALID_ARGUMENT', message: 'too large' }),
  ).toEqual({
    identity: 'a',
    messageId: 'm-0',
    status: 'FAILED',
    error: { code: 'INVALID_ARGUMENT', message: 'too large' },
  });
});
