// The web app of the browser test: bundled by esbuild from the package's own name, as an app
// would import it, and run by Chromium on another origin than the Muster server's.
import { createClient, MusterError } from '@muster/client';

export interface PageRun {
  readonly baseUrl: string;
  readonly token: string;
  readonly namespace: string;
}

/** What the page saw, as plain data (page.evaluate hands it back to the test as JSON). */
export interface PageReport {
  readonly pageOrigin: string;
  readonly userAgent: string;
  readonly registered: readonly string[];
  readonly enumerated: readonly string[];
  readonly deliveries: readonly { readonly identity: string; readonly status: string }[];
  readonly received: {
    readonly identity: string;
    readonly text: string;
    readonly contentType: string;
  };
  readonly duplicate: ErrorReport;
  readonly badFilter: ErrorReport;
  readonly noToken: ErrorReport;
  /** The `muster-error-code` header of a failed call, as the page's own fetch can read it. */
  readonly errorCodeHeader: string | null;
}

export interface ErrorReport {
  readonly isMusterError: boolean;
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The page's whole run, started by the test through `globalThis.musterPageRun`. */
async function run({ baseUrl, token, namespace }: PageRun): Promise<PageReport> {
  const ns = createClient({ baseUrl, token }).namespace(namespace);
  const registered = await Promise.all(
    [1, 2, 3].map(async (n) => {
      const registration = await ns.register({
        identity: `tab-${n}`,
        metadata: { kind: n === 3 ? 'worker' : 'tab', n },
      });
      return registration.identity;
    }),
  );
  const page = await ns.enumerate({ filter: 'kind == "tab"', sort: [{ by: 'n' }] });

  // Server streaming over fetch: the subscription is live once subscribe resolves.
  const subscription = await ns.subscribe('tab-1');
  const next = subscription[Symbol.asyncIterator]().next();
  // Acked delivery: the report waits for the page's acknowledgement (another call, mid-stream).
  const multicast = ns.multicast({
    filter: { n: 1 },
    payload: 'hello from another origin',
    delivery: 'acked',
  });
  const first = await within(next, 10_000, 'the multicast on the subscription');
  if (first.done === true) throw new Error('the subscription ended before its message');
  await first.value.ack();
  const report = await multicast;
  await subscription.close();

  const duplicate = await failure(ns.register({ identity: 'tab-1', metadata: {} }));
  const badFilter = await failure(ns.enumerate({ filter: 'n <' }));
  const noToken = await failure(createClient({ baseUrl }).namespace(namespace).get('tab-1'));

  const raw = await fetch(`${baseUrl}/muster.v1.RegistryService/Get`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'connect-protocol-version': '1',
    },
    body: JSON.stringify({ namespace, identity: 'nobody' }),
  });

  return {
    pageOrigin: globalThis.location.origin,
    userAgent: globalThis.navigator.userAgent,
    registered,
    enumerated: page.identities.map((record) => record.identity),
    deliveries: report.deliveries.map(({ identity, status }) => ({ identity, status })),
    received: {
      identity: first.value.identity,
      text: first.value.text(),
      contentType: first.value.contentType,
    },
    duplicate,
    badFilter,
    noToken,
    errorCodeHeader: raw.headers.get('muster-error-code'),
  };
}

async function failure(call: Promise<unknown>): Promise<ErrorReport> {
  try {
    await call;
  } catch (error) {
    return {
      isMusterError: error instanceof MusterError,
      code: (error as MusterError).code,
      message: (error as Error).message,
      details: { ...(error as MusterError).details },
    };
  }
  throw new Error('the call succeeded; it was meant to fail');
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

declare global {
  // The page's browser globals, without pulling the DOM types into a Node package.
  var location: { readonly origin: string };
  var navigator: { readonly userAgent: string };
  var musterPageRun: ((run: PageRun) => Promise<PageReport>) | undefined;
}

globalThis.musterPageRun = run;
