import { z } from 'zod';
import { SCOPES } from '../auth/scope.js';
import { parseDuration } from './parse-duration.js';

/**
 * Why `"*"` is refused on an open server: any page the user visits could then drive it (a
 * loopback server included). With API keys a page needs a token, which the browser never adds
 * on its own, so `*` grants nothing by itself.
 */
export const CORS_ANY_ORIGIN_NEEDS_AUTH =
  '"*" needs an auth section: without API keys any web page could call the server; list the origins instead';

/** `300` (seconds) or `"5m"`, as milliseconds. */
const duration = z
  .union([z.number(), z.string()], {
    error: (issue) =>
      issue.input === undefined
        ? 'required: a duration (seconds, or 100ms, 30s, 5m, 2h, 7d)'
        : 'not a duration (write seconds, or a number with ms, s, m, h or d)',
  })
  .transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `not a duration: ${JSON.stringify(value)} (write seconds, or a number with ms, s, m, h or d)`,
      });
      return z.NEVER;
    }
    return Math.round(ms);
  });

const positiveInt = z.number().int().positive();

/** A slot: its backend `type` and that backend's connection settings (kept as given). */
const slot = z.looseObject({ type: z.string().min(1) });

const filterLimits = z.strictObject({
  max_depth: positiveInt.optional(),
  max_comparisons: positiveInt.optional(),
  max_input_length: positiveInt.optional(),
  max_regex_length: positiveInt.optional(),
  max_in_items: positiveInt.optional(),
});

const namespaceLimits = z.strictObject({
  max_identities: z.number().int().nonnegative().optional(),
  max_ttl: duration.optional(),
  max_metadata_bytes: positiveInt.optional(),
  max_metadata_depth: positiveInt.optional(),
  enumerate_default_limit: positiveInt.optional(),
  enumerate_max_limit: positiveInt.optional(),
  multicast_timeout: duration.optional(),
  multicast_retries: z.number().int().nonnegative().optional(),
  multicast_batch_size: positiveInt.optional(),
  multicast_concurrency: positiveInt.optional(),
  subscriber_buffer_size: positiveInt.optional(),
  max_payload_bytes: positiveInt.optional(),
  max_multicast_targets: positiveInt.optional(),
  filter: filterLimits.optional(),
});

const fieldSchema = z.strictObject({
  type: z.string().min(1),
  required: z.boolean().optional(),
  max_length: positiveInt.optional(),
  values: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  default: z.unknown().optional(),
  auto: z.literal('now').optional(),
  index: z.boolean().optional(),
  items: z.string().optional(),
});

/**
 * RFC-017's two schema forms: the short one (`status: enum[online, away]`) and the long one
 * (`fields: { status: { type: enum, values: [...] } }`, with `primary_key`, `additional_fields`).
 */
const identitySchema = z.union([
  z.strictObject({
    primary_key: z.string().optional(),
    additional_fields: z.boolean().optional(),
    fields: z.record(z.string(), z.union([z.string(), fieldSchema])),
  }),
  z.record(z.string(), z.union([z.string(), fieldSchema])),
]);

/** A plain lower-case SQL identifier, as @muster/postgres takes an outbox table (≤ 40 characters). */
const OUTBOX_TABLE = /^[a-z_][a-z0-9_]{0,39}$/;

/**
 * RFC-017's transactional outbox (`pattern: outbox`): multicasts are written to `outbox_table`
 * next to the PostgreSQL registry and a relay publishes them every `poll_interval`. `relay:
 * false` leaves the publishing to other instances (several may relay: they share the work).
 */
const outboxComposition = z.strictObject({
  pattern: z.literal('outbox', {
    error: 'unknown composition pattern (the one there is: outbox)',
  }),
  outbox_table: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'required: the outbox table (e.g. multicast_outbox)'
          : undefined,
    })
    .regex(OUTBOX_TABLE, 'a plain lower-case SQL identifier of at most 40 characters'),
  poll_interval: duration.refine((ms) => ms >= 1, 'at least 1ms'),
  batch_size: positiveInt.optional(),
  relay: z.boolean().default(true),
});

const namespace = z.strictObject({
  name: z.string().min(1),
  pattern: z.literal('multicast-registry').optional(),
  description: z.string().optional(),
  identity_schema: identitySchema.optional(),
  /** RFC-017's requirements (latency, consistency...): documentation, logged at start. */
  needs: z.record(z.string(), z.unknown()).optional(),
  backend_slots: z
    .strictObject({
      registry: slot.optional(),
      messaging: slot.optional(),
      durability: z.union([slot, z.strictObject({ use_messaging: z.boolean() })]).optional(),
    })
    .optional(),
  /** RFC-017's composition (example 4: the transactional outbox). */
  composition: outboxComposition.optional(),
  ttl_default: duration.optional(),
  limits: namespaceLimits.optional(),
});

const apiKey = z
  .strictObject({
    name: z.string().min(1),
    /** sha256 of the token, hex (`printf %s "$TOKEN" | sha256sum`). */
    token_sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'a sha256 hex digest (64 hex digits)')
      .optional(),
    /** An environment variable holding the token itself. */
    token_env: z.string().min(1).optional(),
    namespaces: z.array(z.string().min(1)).min(1).default(['*']),
    scopes: z.array(z.enum(SCOPES)).min(1),
    identity_pattern: z.string().min(1).optional(),
    publisher_filter: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    visible_fields: z.array(z.string().min(1)).optional(),
    rate_limit: z
      .strictObject({ per_second: z.number().positive(), burst: positiveInt.optional() })
      .optional(),
    max_streams: positiveInt.optional(),
  })
  .refine((key) => (key.token_sha256 === undefined) !== (key.token_env === undefined), {
    message: 'give exactly one of token_sha256 and token_env',
  });

/** `scheme://host[:port]` exactly as a browser sends it in `Origin` (no path, no trailing slash). */
const origin = z.string().refine(
  (value) => {
    try {
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  },
  {
    error: (issue) =>
      `not an origin: ${JSON.stringify(issue.input)} (write scheme://host[:port], e.g. https://app.example.com)`,
  },
);

/**
 * Which web pages on other origins may call the server from a browser. Absent: none (browsers
 * allow same-origin calls only). `"*"` needs an `auth` section, see the refinement below.
 */
const cors = z.strictObject({
  allowed_origins: z.array(z.union([z.literal('*'), origin])).min(1),
  /** How long browsers may cache a preflight's answer. */
  max_age: duration.optional(),
});

const configObject = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).optional(),
      port: z.number().int().min(0).max(65535).optional(),
      tls: z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
      insecure_allow_open: z.boolean().optional(),
      shutdown_timeout: duration.optional(),
      log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
      limits: z
        .strictObject({
          max_request_bytes: positiveInt.optional(),
          max_streams_per_key: positiveInt.optional(),
        })
        .optional(),
      multicast_reports: z.strictObject({ ttl: duration.optional() }).optional(),
      sweep_interval: duration.optional(),
      cors: cors.optional(),
    })
    .optional(),
  auth: z.strictObject({ keys: z.array(apiKey).min(1) }).optional(),
  namespaces: z.array(namespace).min(1),
});

export const configSchema = configObject.superRefine((config, ctx) => {
  if (config.auth === undefined && config.server?.cors?.allowed_origins.includes('*'))
    ctx.addIssue({
      code: 'custom',
      path: ['server', 'cors', 'allowed_origins'],
      message: CORS_ANY_ORIGIN_NEEDS_AUTH,
    });
});

export type ServerConfig = z.output<typeof configSchema>;
export type NamespaceSettings = ServerConfig['namespaces'][number];
export type ApiKeySettings = NonNullable<ServerConfig['auth']>['keys'][number];
export type SlotSettings = z.output<typeof slot>;
export type FieldSettings = z.output<typeof fieldSchema>;
export type OutboxSettings = z.output<typeof outboxComposition>;
export type CorsSettings = z.output<typeof cors>;
