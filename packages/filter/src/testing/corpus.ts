import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The shared case corpus (packages/filter/corpus/*.json): one file per feature, each with its
 * own documents and cases. Every backend runs every case and must return exactly `matches`.
 */
export interface CorpusFile {
  readonly name: string;
  readonly description: string;
  /** Identity id to metadata. */
  readonly documents: Readonly<Record<string, Record<string, unknown>>>;
  readonly cases: readonly CorpusCase[];
}

export interface CorpusCase {
  readonly description: string;
  /** The filter in the string syntax (omitted only when the case is JSON-form specific). */
  readonly filter?: string;
  /** The same filter in the JSON form, where the JSON form can express it. */
  readonly json?: Record<string, unknown>;
  /** Ids of the documents that match, in any order. */
  readonly matches: readonly string[];
}

const CORPUS_DIR = fileURLToPath(new URL('../../corpus/', import.meta.url));

export function loadCorpus(): CorpusFile[] {
  return readdirSync(CORPUS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(CORPUS_DIR + file, 'utf8')) as Omit<CorpusFile, 'name'>;
      return { name: file.replace(/\.json$/, ''), ...data };
    });
}
