// The `muster` bin on the TypeScript sources, for tests (run with `node --import tsx
// --conditions=@muster/source`): no build needed, same code as bin/muster.js runs from dist.
import { run } from '../../src/run.js';

await run();
