/**
 * The coordinator names the message to a multicast's target number `i` `<multicastId>-<i>`.
 * Stores and codecs keep just `i` for such ids (a number instead of a string per target); this
 * tells whether `messageId` has that form and gives `i`, or -1 when it does not. Checked without
 * building the string.
 */
export function messageIndexOf(messageId: string | undefined, multicastId: string): number {
  if (messageId === undefined || !messageId.startsWith(multicastId)) return -1;
  let at = multicastId.length;
  if (messageId.charCodeAt(at) !== 45 /* - */) return -1;
  at++;
  const digits = messageId.length - at;
  // No empty index, no leading zero (it would not round-trip), at most 2^53 exactly.
  if (digits === 0 || digits > 15 || (messageId.charCodeAt(at) === 48 /* 0 */ && digits > 1))
    return -1;
  let value = 0;
  for (; at < messageId.length; at++) {
    const digit = messageId.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
