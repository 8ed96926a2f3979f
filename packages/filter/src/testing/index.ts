/**
 * Test helpers for adapters and the conformance kit: fast-check generators of filters and
 * metadata, and the shared case corpus. Needs fast-check installed (an optional peer dependency).
 */
export * from './arbitraries.js';
export type { CorpusCase, CorpusFile } from './corpus.js';
export { loadCorpus } from './corpus.js';
