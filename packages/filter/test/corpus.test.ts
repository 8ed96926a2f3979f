import { describe, expect, it } from 'vitest';
import { compile } from '../src/evaluate/compile.js';
import { parse } from '../src/parse.js';
import { type CorpusCase, type CorpusFile, loadCorpus } from '../src/testing/corpus.js';
import { validateMetadata } from '../src/validate/validate-metadata.js';

/**
 * Runs the shared corpus through the in-memory evaluator (the oracle): both written forms of a
 * case must parse to the same AST, and the compiled filter must select exactly `matches`.
 */
const corpus = loadCorpus();

/** The task asks for at least this many cases; losing files or cases must fail loudly. */
const MIN_CASES = 220;

function selected(file: CorpusFile, testCase: CorpusCase): string[] {
  const ast = parse(testCase.filter ?? testCase.json);
  const predicate = compile(ast);
  return Object.keys(file.documents)
    .filter((id) => predicate(file.documents[id]!))
    .sort();
}

describe('filter corpus', () => {
  it(`has at least ${MIN_CASES} cases, each described and in at least one form`, () => {
    const total = corpus.reduce((sum, file) => sum + file.cases.length, 0);
    console.log(`corpus: ${corpus.length} files, ${total} cases`);
    expect(total).toBeGreaterThanOrEqual(MIN_CASES);
    for (const file of corpus) {
      expect(file.description, file.name).toBeTruthy();
      for (const testCase of file.cases) {
        expect(testCase.description, `${file.name}: a case without a description`).toBeTruthy();
        expect(
          testCase.filter !== undefined || testCase.json !== undefined,
          testCase.description,
        ).toBe(true);
      }
    }
  });

  for (const file of corpus) {
    describe(file.name, () => {
      it('has valid documents and case descriptions unique within the file', () => {
        for (const [id, metadata] of Object.entries(file.documents)) {
          expect(() => validateMetadata(metadata), id).not.toThrow();
        }
        const descriptions = file.cases.map((testCase) => testCase.description);
        expect(new Set(descriptions).size).toBe(descriptions.length);
        for (const testCase of file.cases) {
          for (const id of testCase.matches) {
            expect(
              Object.hasOwn(file.documents, id),
              `${testCase.description}: unknown document ${id}`,
            ).toBe(true);
          }
        }
      });

      for (const testCase of file.cases) {
        it(testCase.description, () => {
          if (testCase.filter !== undefined && testCase.json !== undefined) {
            expect(parse(testCase.filter)).toStrictEqual(parse(testCase.json));
          }
          expect(selected(file, testCase)).toEqual([...testCase.matches].sort());
        });
      }
    });
  }
});
