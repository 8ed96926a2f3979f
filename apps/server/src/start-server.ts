import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { fastifyConnectPlugin } from '@connectrpc/connect-fastify';
import { fastifyCors } from '@fastify/cors';
import { RegistryService } from '@muster/api';
import {
  createMemoryDurability,
  createMemoryMessaging,
  createMemoryRegistry,
  createMuster,
  type Muster,
  MusterError,
} from '@muster/core';
import { parse } from '@muster/filter';
import { fastify } from 'fastify';
import { type Logger, pino } from 'pino';
import { createKeyAccess, OPEN_ACCESS, sha256Hex } from './auth/access-control.js';
import type { ApiKey } from './auth/api-key.js';
import { globToRegex } from './auth/glob-to-regex.js';
import type { CorsSettings, ServerConfig } from './config/config-schema.js';
import { toNamespaceConfig } from './config/to-namespace-config.js';
import {
  createDualProtocolServer,
  type Handler,
  type TlsFiles,
} from './http/dual-protocol-server.js';
import { isLoopback } from './http/is-loopback.js';
import { toCorsOptions } from './http/to-cors-options.js';
import { type NamespaceReadiness, probeSlots } from './observability/probe-slots.js';
import { ServerMetrics } from './observability/server-metrics.js';
import type { NamespaceOutbox } from './outbox/namespace-outbox.js';
import { openNamespaceOutbox } from './outbox/open-namespace-outbox.js';
import { InFlight } from './service/in-flight.js';
import { NamespaceDirectory } from './service/namespace-directory.js';
import { DEFAULT_SERVER_LIMITS, type NamespaceRuntime } from './service/namespace-runtime.js';
import { OpenInboxes } from './service/open-inboxes.js';
import { createRegistryService } from './service/registry-service.js';
import { StreamTracker } from './service/stream-tracker.js';
import { buildSlots } from './slots/build-slots.js';
import { SLOT_FACTORIES, type SlotFactoryTable } from './slots/slot-factories.js';
import type { SlotSet } from './slots/slot-set.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7070;

export interface StartServerOptions {
  /** The validated config (`loadConfig`); undefined for the embedded default. */
  readonly config?: ServerConfig;
  /** Overrides of the config's `server` section (command-line flags). */
  readonly host?: string;
  readonly port?: number;
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly insecureAllowOpen?: boolean;
  /** Overrides the config's `server.cors` (which web origins may call from a browser). */
  readonly cors?: CorsSettings;
  readonly logger?: Logger;
  readonly logLevel?: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Slots to serve a namespace with instead of building them from the config (tests run two
   * servers on one slot set this way). Slots given here are the caller's to close.
   */
  readonly slots?: (namespace: string) => SlotSet | undefined;
  readonly slotFactories?: SlotFactoryTable;
  /** How often each coordinator sweeps expired identities (ms). Default 1000 (config: sweep_interval). */
  readonly sweepIntervalMs?: number;
}

export interface RunningServer {
  /** `http://host:port` (or https). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  /** Backends' states, as /readyz reports them. */
  readiness(): Promise<{ ready: boolean; namespaces: NamespaceReadiness[] }>;
  /** Graceful shutdown: ends streams, waits for multicasts in flight, closes backends. */
  close(): Promise<void>;
}

interface Coordinator {
  readonly muster: Muster;
  readonly slots: SlotSet;
  /** Namespace label of its metrics: its one namespace, or `*` for the embedded default. */
  readonly label: string;
  /** Slots this server built and must close. */
  readonly ownedSlots: boolean;
}

/** Starts the Muster server: ConnectRPC (gRPC, gRPC-Web, Connect) on Fastify, plus health and metrics. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = options.config;
  const env = options.env ?? process.env;
  const serverSettings = config?.server ?? {};
  const logger =
    options.logger ??
    pino({
      level: options.logLevel ?? serverSettings.log_level ?? 'info',
      base: { service: 'muster-server' },
    });
  const host = options.host ?? serverSettings.host ?? DEFAULT_HOST;
  const port = options.port ?? serverSettings.port ?? DEFAULT_PORT;
  const tlsPaths = options.tls ?? serverSettings.tls;
  const access =
    config?.auth === undefined ? OPEN_ACCESS : createKeyAccess(buildKeys(config.auth.keys, env));
  if (
    access.open &&
    !isLoopback(host) &&
    options.insecureAllowOpen !== true &&
    serverSettings.insecure_allow_open !== true
  )
    throw new MusterError(
      'PERMISSION_DENIED',
      `refusing to serve ${host} without authentication: configure an auth section, bind to a loopback address, or pass --insecure-allow-open`,
      { details: { field: 'host' } },
    );
  const corsSettings = options.cors ?? serverSettings.cors;
  // Checked before any backend is opened: a refused setting leaves nothing to close.
  const corsOptions =
    corsSettings === undefined ? undefined : toCorsOptions(corsSettings, !access.open);
  const tls: TlsFiles | undefined =
    tlsPaths === undefined
      ? undefined
      : { cert: await readFile(tlsPaths.cert), key: await readFile(tlsPaths.key) };

  const coordinators: Coordinator[] = [];
  const runtimes = new Map<string, NamespaceRuntime>();
  const namespaceSlots = new Map<string, SlotSet>();
  const outboxes: NamespaceOutbox[] = [];
  let fallback: ((name: string) => NamespaceRuntime) | undefined;
  try {
    if (config === undefined) {
      // The embedded default: one in-memory coordinator serving "default" and any other name.
      const given = options.slots?.('default');
      const slots: SlotSet = given ?? {
        registry: createMemoryRegistry(),
        messaging: createMemoryMessaging(),
        durability: createMemoryDurability(),
      };
      const muster = createMuster({ ...slots, sweepIntervalMs: 0 });
      coordinators.push({ muster, slots, label: '*', ownedSlots: given === undefined });
      const runtimeOf = (name: string): NamespaceRuntime => ({
        name,
        muster,
        limits: DEFAULT_SERVER_LIMITS,
      });
      runtimes.set('default', runtimeOf('default'));
      fallback = runtimeOf;
    } else {
      for (const settings of config.namespaces) {
        const given = options.slots?.(settings.name);
        const slots =
          given ?? (await buildSlots(settings, env, options.slotFactories ?? SLOT_FACTORIES));
        const { config: namespaceConfig, filterLimits, limits } = toNamespaceConfig(settings);
        const reportTtl = serverSettings.multicast_reports?.ttl;
        const muster = createMuster({
          ...slots,
          namespaces: {
            [settings.name]:
              reportTtl === undefined
                ? namespaceConfig
                : { reportRetentionMs: reportTtl, ...namespaceConfig },
          },
          strictNamespaces: true,
          sweepIntervalMs: 0,
        });
        coordinators.push({ muster, slots, label: settings.name, ownedSlots: given === undefined });
        namespaceSlots.set(settings.name, slots);
        const outbox = await openNamespaceOutbox(settings, slots.messaging, logger);
        if (outbox !== undefined) outboxes.push(outbox);
        runtimes.set(settings.name, {
          name: settings.name,
          muster,
          limits,
          ...(filterLimits === undefined ? {} : { filterLimits }),
          ...(outbox === undefined ? {} : { outbox: outbox.outbox }),
        });
        logger.info(
          {
            namespace: settings.name,
            registry: settings.backend_slots?.registry?.type ?? 'memory',
            messaging: settings.backend_slots?.messaging?.type ?? 'memory',
            durability:
              slots.durability === null ? 'none' : (settings.backend_slots?.durability ?? 'memory'),
            needs: settings.needs,
            ...(settings.composition === undefined
              ? {}
              : { composition: settings.composition.pattern }),
          },
          'namespace ready',
        );
      }
    }
  } catch (error) {
    await closeOutboxes(outboxes);
    await closeCoordinators(coordinators);
    throw error;
  }

  const directory = new NamespaceDirectory(runtimes, fallback);
  const metrics = new ServerMetrics(() => countIdentities(coordinators, namespaceSlots));
  const streams = new StreamTracker();
  const multicasts = new InFlight();
  const maxStreamsPerKey = serverSettings.limits?.max_streams_per_key;
  const service = createRegistryService({
    directory,
    access,
    inboxes: new OpenInboxes(),
    streams,
    multicasts,
    metrics,
    logger,
    ...(maxStreamsPerKey === undefined ? {} : { maxStreamsPerKey }),
  });

  const readiness = async () => {
    const namespaces = await Promise.all(
      config === undefined
        ? [probeSlots('default', coordinators[0]!.slots, 1000)]
        : [...namespaceSlots].map(([name, slots]) => probeSlots(name, slots, 1000)),
    );
    const ready =
      !streams.draining &&
      namespaces.every(
        (n) => n.registry !== 'down' && n.messaging !== 'down' && n.durability !== 'down',
      );
    return { ready, namespaces };
  };

  const maxRequestBytes = serverSettings.limits?.max_request_bytes ?? 4 * 1024 * 1024;
  const app = fastify({
    // Fastify's types know one server kind; this one is HTTP/1.1 and HTTP/2 (see the factory).
    serverFactory: (handler) =>
      createDualProtocolServer(handler as unknown as Handler, tls) as unknown as Server,
    bodyLimit: maxRequestBytes,
    // At close: idle keep-alive connections now, busy ones when their response is sent.
    forceCloseConnections: 'idle',
  });
  // Before the routes, so its hook answers preflights and adds headers on every one of them.
  if (corsOptions !== undefined) await app.register(fastifyCors, corsOptions);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const state = await readiness();
    return reply
      .code(state.ready ? 200 : 503)
      .send({ status: state.ready ? 'ready' : 'not ready', ...state });
  });
  app.get('/metrics', async (_request, reply) =>
    reply
      .header('content-type', metrics.registry.contentType)
      .send(await metrics.registry.metrics()),
  );
  await app.register(fastifyConnectPlugin, {
    routes: (router) => router.service(RegistryService, service),
    readMaxBytes: maxRequestBytes,
    // Requests a client never finishes are cut when shutdown gives up waiting.
    shutdownTimeoutMs: serverSettings.shutdown_timeout ?? 10_000,
  });

  // The sweeper: this server's sweeps, counted as TTL expirations.
  const sweepIntervalMs = options.sweepIntervalMs ?? serverSettings.sweep_interval ?? 1000;
  const sweeping = new Set<Coordinator>();
  const sweeper =
    sweepIntervalMs > 0
      ? setInterval(() => {
          for (const coordinator of coordinators) {
            if (sweeping.has(coordinator)) continue;
            sweeping.add(coordinator);
            coordinator.muster
              .sweep()
              .then((expired) => {
                if (expired > 0)
                  metrics.ttlExpirations.inc({ namespace: coordinator.label }, expired);
              })
              .catch((error: unknown) =>
                logger.warn({ err: error, namespace: coordinator.label }, 'sweep failed'),
              )
              .finally(() => sweeping.delete(coordinator));
          }
        }, sweepIntervalMs)
      : undefined;
  sweeper?.unref();

  try {
    await app.listen({ host, port });
  } catch (error) {
    clearInterval(sweeper);
    await app.close();
    await closeOutboxes(outboxes);
    await closeCoordinators(coordinators);
    throw error;
  }
  for (const outbox of outboxes) outbox.start();
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const scheme = tls === undefined ? 'http' : 'https';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  logger.info(
    {
      url,
      namespaces: [...runtimes.keys()],
      tls: tls !== undefined,
      auth: access.open ? 'open' : 'api-keys',
      cors: corsSettings?.allowed_origins ?? 'same-origin only',
    },
    'muster-server listening',
  );
  if (access.open)
    logger.warn(
      { host },
      isLoopback(host)
        ? 'no auth section: the server is open to every local client (loopback only)'
        : 'no auth section and --insecure-allow-open: the server is open to everyone who can reach it',
    );

  let closing: Promise<void> | undefined;
  const shutdownTimeoutMs = serverSettings.shutdown_timeout ?? 10_000;
  return {
    url,
    host,
    port: boundPort,
    logger,
    metrics,
    readiness,
    close() {
      closing ??= (async () => {
        logger.info(
          { streams: streams.size, multicasts: multicasts.size },
          'shutting down: draining',
        );
        clearInterval(sweeper);
        await streams.drain(shutdownTimeoutMs);
        logger.debug({ streams: streams.size }, 'streams drained');
        await multicasts.settle(shutdownTimeoutMs);
        logger.debug({ multicasts: multicasts.size }, 'multicasts settled');
        await app.close();
        logger.debug('listener closed');
        // The relays finish their batch in flight while the messaging slots are still open.
        await closeOutboxes(outboxes);
        await closeCoordinators(coordinators);
        logger.info('shut down');
      })();
      return closing;
    },
  };
}

async function closeOutboxes(outboxes: readonly NamespaceOutbox[]): Promise<void> {
  await Promise.allSettled(outboxes.map((outbox) => outbox.close()));
}

async function closeCoordinators(coordinators: readonly Coordinator[]): Promise<void> {
  await Promise.allSettled(
    coordinators.map(async (coordinator) => {
      await coordinator.muster.close();
      if (coordinator.ownedSlots) {
        const { registry, messaging, durability } = coordinator.slots;
        await Promise.allSettled([registry.close(), messaging.close(), durability?.close()]);
      }
    }),
  );
}

/** Registered identities per namespace, where the registry can count. */
async function countIdentities(
  coordinators: readonly Coordinator[],
  namespaceSlots: ReadonlyMap<string, SlotSet>,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const now = Date.now();
  await Promise.allSettled(
    [...namespaceSlots].map(async ([name, slots]) => {
      if (slots.registry.supports.count) counts.set(name, await slots.registry.count(name, now));
    }),
  );
  // The embedded default serves any name: count every namespace its registry has.
  const registry = coordinators.find((coordinator) => coordinator.label === '*')?.slots.registry;
  if (registry?.supports.count === true)
    for (const name of await registry.namespaces().catch(() => [] as string[]))
      counts.set(name, await registry.count(name, now).catch(() => 0));
  return counts;
}

function buildKeys(
  keys: NonNullable<ServerConfig['auth']>['keys'],
  env: NodeJS.ProcessEnv,
): ApiKey[] {
  return keys.map((key) => {
    let hash = key.token_sha256?.toLowerCase();
    if (key.token_env !== undefined) {
      const token = env[key.token_env];
      if (token === undefined || token === '')
        throw new MusterError(
          'INVALID_ARGUMENT',
          `API key "${key.name}": environment variable ${key.token_env} is not set`,
          {
            details: { field: `auth.keys.${key.name}.token_env` },
          },
        );
      hash = sha256Hex(token);
    }
    const burst = key.rate_limit?.burst ?? Math.max(1, Math.ceil(key.rate_limit?.per_second ?? 1));
    return {
      name: key.name,
      tokenSha256: hash!,
      namespaces: key.namespaces,
      scopes: new Set(key.scopes),
      ...(key.identity_pattern === undefined
        ? {}
        : { identityPattern: globToRegex(key.identity_pattern) }),
      ...(key.publisher_filter === undefined
        ? {}
        : { publisherFilter: parse(key.publisher_filter) }),
      ...(key.visible_fields === undefined ? {} : { visibleFields: key.visible_fields }),
      ...(key.rate_limit === undefined
        ? {}
        : { rateLimit: { perSecond: key.rate_limit.per_second, burst } }),
      ...(key.max_streams === undefined ? {} : { maxStreams: key.max_streams }),
    };
  });
}
