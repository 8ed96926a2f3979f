// Starts the MongoDB test server (tooling/mongodb/start.sh: mongo-java-server, in memory) before
// the tests, unless MONGODB_URL points elsewhere (a real MongoDB). The server is left running
// for later runs; start.sh does nothing when the port already answers.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const START = fileURLToPath(new URL('../../../tooling/mongodb/start.sh', import.meta.url));

export default function setup(): void {
  if (process.env.MONGODB_URL !== undefined && process.env.MONGODB_URL !== '') return;
  try {
    execFileSync(START, [], { stdio: 'inherit', timeout: 300_000 });
  } catch (error) {
    // Tests then skip locally (saying why) and fail under CI=true: see test/support/mongo-url.ts.
    console.warn(`could not start the MongoDB test server: ${String(error)}`);
  }
}
