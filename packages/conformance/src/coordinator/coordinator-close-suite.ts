// Guarantees: after close, every coordinator operation rejects with UNAVAILABLE, open
// subscriptions and watches end, and the slots it was given stay usable (it closes only its own).
import { expect } from 'vitest';
import { AsyncReader } from '../support/async-reader.js';
import { expectMusterError } from '../support/expect-muster-error.js';
import { type CoordinatorSuiteContext, withCoordinators } from './coordinator-suite-context.js';

export function coordinatorCloseSuite(context: CoordinatorSuiteContext): void {
  context.test(
    'coordinator close: operations reject with UNAVAILABLE; iterations end; slots stay open',
    async () => {
      await withCoordinators(
        context,
        { label: 'c-close', count: 2 },
        async ({ musters, namespace }) => {
          const [a, b] = musters as [(typeof musters)[0], (typeof musters)[0]];
          await a.register(namespace, { identity: 'x' });
          const subscription = new AsyncReader(await a.subscribe(namespace, 'x'));
          const watch = new AsyncReader(await a.watch(namespace));
          await a.close();
          await a.close();
          await expectMusterError(
            a.register(namespace, { identity: 'y' }),
            'UNAVAILABLE',
            'register after close',
          );
          await expectMusterError(a.get(namespace, 'x'), 'UNAVAILABLE', 'get after close');
          await expectMusterError(a.enumerate(namespace), 'UNAVAILABLE', 'enumerate after close');
          await expectMusterError(
            a.multicast(namespace, { payload: 'x' }),
            'UNAVAILABLE',
            'multicast after close',
          );
          expect(await subscription.ended(), 'the subscription ended').toBe(true);
          expect(await watch.ended(), 'the watch ended').toBe(true);
          // The shared slots belong to the caller: the other coordinator still works.
          expect((await b.get(namespace, 'x')).identity).toBe('x');
        },
      );
    },
  );
}
