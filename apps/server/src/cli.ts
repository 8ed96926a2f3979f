// `pnpm dev`: the server from its TypeScript sources (tsx), for development.
import { main } from './main.js';

await main();
