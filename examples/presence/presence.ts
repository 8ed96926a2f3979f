// User presence on Muster (RFC-017, use case 3). Users join a room with a status; the room's
// participant list follows a watch; a chat message goes to everyone in the room with acked
// delivery, so the sender sees who got it; leaving unregisters.
//
//   muster-server --config examples/presence/muster.yaml
//   MUSTER_URL=http://127.0.0.1:7070 npx tsx examples/presence/presence.ts
import { createClient } from '@muster/client';

const presence = createClient({
  baseUrl: process.env.MUSTER_URL ?? 'http://127.0.0.1:7070',
  ...(process.env.MUSTER_TOKEN && { token: process.env.MUSTER_TOKEN }),
}).namespace('presence');

// The room's participant list: everyone online in "engineering", kept current by a watch.
const room = 'current_room == "engineering" and status == "online"';
const participants = new Set<string>();
const watch = await presence.watch({ filter: room, initial: true });
const roster = (async () => {
  for await (const event of watch) {
    if (event.type === 'removed') participants.delete(event.identity);
    else participants.add(event.identity);
    console.log(
      `roster: ${event.identity} ${event.type} (${event.reason}) -> [${[...participants].sort().join(', ')}]`,
    );
  }
})();

// Users join: a session identity per user, a 5-minute TTL kept alive by heartbeats.
const users = [
  { user_id: 'alice', display_name: 'Alice', status: 'online', current_room: 'engineering' },
  { user_id: 'bob', display_name: 'Bob', status: 'online', current_room: 'engineering' },
  { user_id: 'carol', display_name: 'Carol', status: 'away', current_room: 'engineering' },
  { user_id: 'dave', display_name: 'Dave', status: 'online', current_room: 'sales' },
];
const sessions = new Map(
  await Promise.all(
    users.map(async (user) => {
      const identity = `user-${user.user_id}-session-1`;
      const session = await presence.register({
        identity,
        metadata: user,
        ttlMs: 300_000,
        replace: true,
        keepAlive: true,
      });
      return [user.user_id, session] as const;
    }),
  ),
);

// Everyone in the room listens for chat messages and acknowledges them.
const inboxes = await Promise.all(
  users
    .filter((user) => user.current_room === 'engineering')
    .map(async (user) => {
      const inbox = await presence.subscribe(`user-${user.user_id}-session-1`);
      void (async () => {
        for await (const message of inbox) {
          const chat = message.json<{ from: string; text: string }>();
          console.log(`${user.display_name} sees ${chat.from}: ${chat.text}`);
          await message.ack();
        }
      })();
      return inbox;
    }),
);

// Who is in the room?
const online = await presence.enumerate({ filter: room, sort: [{ by: 'display_name' }] });
console.log(
  `online in engineering: ${online.identities.map((record) => record.metadata.display_name).join(', ')}`,
);

// Alice says hello to the whole room (online or away), and sees who acknowledged.
const report = await presence.multicast({
  filter: { current_room: 'engineering' },
  json: { type: 'chat', from: 'alice', text: 'Hello team!' },
  delivery: 'acked',
  timeoutMs: 2_000,
});
console.log(`delivered to ${report.deliveredCount}/${report.targetCount} users`);
if (report.deliveredCount !== 3) throw new Error('expected every user in the room to acknowledge');

// Bob leaves: his session ends, the roster sees him go.
await sessions.get('bob')!.close();
const deadline = Date.now() + 5_000;
while (participants.has('user-bob-session-1')) {
  if (Date.now() > deadline) throw new Error('the roster did not see bob leave');
  await new Promise((resolve) => setTimeout(resolve, 20));
}

await watch.close();
await roster;
await Promise.all(inboxes.map((inbox) => inbox.close()));
await Promise.all([...sessions.values()].map((session) => session.close()));
console.log('everyone left');
process.exit(0);
