#!/usr/bin/env node
// Runs the built server (pnpm --filter @muster/server build).
import { main } from '../dist/main.js';

await main();
