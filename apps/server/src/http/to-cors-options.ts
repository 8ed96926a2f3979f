import { cors } from '@connectrpc/connect';
import type { FastifyCorsOptions } from '@fastify/cors';
import { ERROR_CODE_HEADER } from '@muster/api';
import { MusterError } from '@muster/core';
import { CORS_ANY_ORIGIN_NEEDS_AUTH, type CorsSettings } from '../config/config-schema.js';

/** What a browser may send: Connect's and gRPC-Web's request headers, plus the API key. */
export const CORS_ALLOWED_HEADERS: readonly string[] = [...cors.allowedHeaders, 'Authorization'];

/**
 * What a page may read: Connect's and gRPC-Web's status headers, plus the Muster error code
 * (a header on unary Connect errors, `Trailer-` prefixed when Connect sends it as a trailer).
 */
export const CORS_EXPOSED_HEADERS: readonly string[] = [
  ...cors.exposedHeaders,
  ERROR_CODE_HEADER,
  `Trailer-${ERROR_CODE_HEADER}`,
];

/** Chromium caps a preflight's cache at two hours; longer would only be ignored. */
const DEFAULT_MAX_AGE_MS = 2 * 60 * 60 * 1000;

/**
 * The `server.cors` section as @fastify/cors options. Origins not listed get no CORS headers,
 * so their browsers refuse the call; nothing is sent with credentials (cookies), since Muster
 * authenticates with the Authorization header a page sets itself.
 */
export function toCorsOptions(settings: CorsSettings, authenticated: boolean): FastifyCorsOptions {
  const anyOrigin = settings.allowed_origins.includes('*');
  if (anyOrigin && !authenticated)
    throw new MusterError(
      'INVALID_ARGUMENT',
      `server.cors.allowed_origins: ${CORS_ANY_ORIGIN_NEEDS_AUTH}`,
      {
        details: { field: 'server.cors.allowed_origins' },
      },
    );
  const allowed = new Set(settings.allowed_origins);
  return {
    // A function rather than the list: an origin not listed then gets no CORS header at all
    // (its preflight is answered as with CORS off), not exposed headers without an origin.
    origin: anyOrigin
      ? '*'
      : (origin, grant) => grant(null, origin !== undefined && allowed.has(origin)),
    methods: [...cors.allowedMethods],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: Math.floor((settings.max_age ?? DEFAULT_MAX_AGE_MS) / 1000),
    credentials: false,
  };
}
