// The kit catches a registry whose filter ignores `not`: the fuzz and exactly the corpus files
// where dropping `not` changes an answer fail; everything else passes.
import { createMemoryRegistry } from '@muster/core';
import { compile, parse } from '@muster/filter';
import { loadCorpus } from '@muster/filter/testing';
import { expect, it } from 'vitest';
import { registrySuites } from '../src/index.js';
import { ignoringNot, withoutNot } from './support/ignoring-not.js';
import { createRecorder, failedNames } from './support/recorder.js';

/** Corpus files in which some case selects differently once `not` is dropped. */
function filesBrokenByDroppingNot(): string[] {
  return loadCorpus()
    .filter((file) =>
      file.cases.some((testCase) =>
        [testCase.filter, testCase.json].some((input) => {
          if (input === undefined) return false;
          const ast = parse(input);
          const right = compile(ast);
          const wrong = compile(withoutNot(ast));
          return Object.values(file.documents).some(
            (document) => right(document) !== wrong(document),
          );
        }),
      ),
    )
    .map((file) => file.name);
}

it('a registry whose filter ignores `not` fails the fuzz and the corpus files that use `not`', async () => {
  const recorder = createRecorder();
  const supports = createMemoryRegistry().supports;
  registrySuites({
    test: recorder.test,
    factory: () => ignoringNot(createMemoryRegistry()),
    supports,
  });
  const results = await recorder.run();
  const broken = filesBrokenByDroppingNot();
  expect(broken).toEqual(expect.arrayContaining(['logic', 'not-equal']));
  const failed = failedNames(results);
  const expected = [
    ...broken.map(
      (name) => results.find((r) => r.name.startsWith(`filter corpus: ${name} (`))!.name,
    ),
    results.find((r) => r.name.startsWith('filter fuzz:'))!.name,
  ];
  expect(failed.sort()).toEqual(expected.sort());
  const logic = results.find((r) => r.name.startsWith('filter corpus: logic ('))!;
  expect(logic.error, 'the failure names the case').toContain('not');
}, 120_000);
