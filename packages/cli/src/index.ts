export type { CliIo } from './cli-context.js';
export { EXIT, exitCodeFor } from './exit-codes.js';
export { main } from './main.js';
export { run } from './run.js';
