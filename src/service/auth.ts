// API keys: the service holds only their SHA-256 hashes, compared in constant time (shared/hashed-keys.ts).
// No keys configured: every protected route says 401.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../shared/bearer-token';
import { keyMatcher } from '../shared/hashed-keys';
import { Problem, ServiceProblem } from './problems';

export type ApiKeyScope = 'read' | 'write';

export interface ApiKey {
  /** Who holds the key (logs, rate limiting); never secret. */
  name: string;
  /** SHA-256 of the key, lower- or upper-case hex. */
  sha256: string;
  /** `write` may also read. */
  scope: ApiKeyScope;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; a route without one is public (health, docs, mounted plugins). */
    auth?: ApiKeyScope;
  }
  interface FastifyRequest {
    /** The key the request presented, when it is a configured one. */
    apiKey?: ApiKey;
  }
}

/** The hash the configuration holds for `key` (hex). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * `name:sha256hex:scope[,name2:sha256hex:scope]` (e.g. from an environment variable) -> keys. Every bad
 * entry is reported at once, named by its position and name; hashes are never echoed.
 */
export function parseApiKeys(text: string): ApiKey[] {
  const keys: ApiKey[] = [];
  const problems: string[] = [];
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  entries.forEach((entry, i) => {
    const parts = entry.split(':');
    const label = `entry ${i + 1}${parts[0] ? ` (${JSON.stringify(parts[0].slice(0, 64))})` : ''}`;
    if (parts.length !== 3) {
      problems.push(`${label}: must be name:sha256hex:scope`);
      return;
    }
    const [name, sha256, scope] = parts as [string, string, string];
    const own: string[] = [];
    if (!NAME.test(name)) own.push('the name must be 1-64 of A-Z a-z 0-9 . _ -');
    if (!SHA256_HEX.test(sha256)) own.push('the hash must be 64 hex digits (the SHA-256 of the key)');
    if (scope !== 'read' && scope !== 'write') own.push('the scope must be "read" or "write"');
    if (keys.some((k) => k.name === name)) own.push('the name is used by an earlier entry');
    if (keys.some((k) => k.sha256 === sha256.toLowerCase())) own.push('the hash is used by an earlier entry');
    if (own.length) problems.push(`${label}: ${own.join('; ')}`);
    else keys.push({ name, sha256: sha256.toLowerCase(), scope: scope as ApiKeyScope });
  });
  if (problems.length) throw new Error(`Invalid API keys:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return keys;
}

/** The key a request presents: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const token = bearerToken(request.headers.authorization);
  if (token !== undefined) return token;
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

const CHALLENGE = 'Bearer realm="onboarding", charset="UTF-8"';

export function assertValidKeys(keys: readonly ApiKey[]): void {
  for (const k of keys) {
    if (!SHA256_HEX.test(k.sha256) || !k.name || (k.scope !== 'read' && k.scope !== 'write')) {
      throw new Error(`API key ${JSON.stringify(k.name)}: needs a name, a 64-hex-digit sha256 and a scope`);
    }
  }
}

/**
 * Two onRequest hooks: `identify` attaches the key (before rate limiting, which is keyed by it) and
 * `enforce` refuses, both only on routes that declare `config.auth`. They run before the body is read,
 * so an unauthenticated caller cannot make the service parse a large body.
 */
export function authHooks(keys: readonly ApiKey[]) {
  assertValidKeys(keys);
  const match = keyMatcher(keys);
  return {
    identify: async (request: FastifyRequest) => {
      if (!request.routeOptions.config.auth) return;
      request.apiKey = match(presentedKey(request));
    },
    enforce: async (request: FastifyRequest) => {
      const needed = request.routeOptions.config.auth;
      if (!needed) return;
      const key = request.apiKey;
      if (!key) {
        const presented = presentedKey(request) !== undefined;
        throw new Problem(
          401,
          ServiceProblem.Unauthorized,
          presented
            ? 'the API key is not valid'
            : 'an API key is required (Authorization: Bearer <key> or X-Api-Key)',
          [],
          { 'www-authenticate': presented ? `${CHALLENGE}, error="invalid_token"` : CHALLENGE },
        );
      }
      if (needed === 'write' && key.scope !== 'write') {
        throw new Problem(403, ServiceProblem.Forbidden, `the API key ${key.name} may read only`);
      }
    },
  };
}
