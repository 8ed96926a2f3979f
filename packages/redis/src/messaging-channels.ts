import { encodeIdentityToken } from '@muster/core';
import { namespaceTag } from './namespace-tag.js';

/**
 * `{prefix:namespace token}:m:` : the start of every messaging channel of a namespace; the
 * identity follows as a token (`encodeIdentityToken`, injective), so no identity can reach
 * another's channel, whatever characters it holds.
 */
export function messagingChannelBase(prefix: string, namespace: string): string {
  return `${namespaceTag(prefix, namespace)}:m:`;
}

export function messagingChannel(base: string, identity: string): string {
  return base + encodeIdentityToken(identity);
}

/** The reply channel of one messaging slot instance (acked publishes): its own hash tag. */
export function replyChannel(prefix: string, slotId: string): string {
  return `{${prefix}}:reply:${slotId}`;
}
