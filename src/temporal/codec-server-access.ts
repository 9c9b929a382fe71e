// Who may use the codec server: a bearer token whose SHA-256 is configured (compared in constant time,
// as the service compares its API keys), for an allowed namespace, from an allowed browser origin.
// The Temporal CLI sends `X-Namespace` with the namespace of its profile, which is empty when neither
// `--namespace` nor TEMPORAL_NAMESPACE is given: an empty or missing X-Namespace is taken as the one
// namespace this server serves, and refused (403) when it serves several, since it names none of them.
import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../shared/bearer-token';
import { keyMatcher } from '../shared/hashed-keys';

export interface CodecAccessOptions {
  /** SHA-256 hex of the accepted tokens; empty: no token needed (ONBOARDING_ENV=local only). */
  tokenHashes: readonly string[];
  /** Namespaces the caller may name in X-Namespace (an empty or missing one means the only one). */
  namespaces: readonly string[];
  /** Web UI origins answered with CORS headers. */
  corsOrigins: readonly string[];
}

export type Refusal = { status: 401 | 403; error: string; headers?: Record<string, string> };

const CHALLENGE = 'Bearer realm="codec-server"';

export function codecAccess(options: CodecAccessOptions) {
  const match = keyMatcher(options.tokenHashes.map((sha256) => ({ sha256 })));
  return {
    /** Undefined when the request may proceed. */
    check(req: IncomingMessage): Refusal | undefined {
      if (options.tokenHashes.length > 0) {
        const presented = bearerToken(req.headers.authorization);
        if (!match(presented)) {
          return presented === undefined
            ? {
                status: 401,
                error: 'Authorization: Bearer <token> is required',
                headers: { 'WWW-Authenticate': CHALLENGE },
              }
            : {
                status: 401,
                error: 'the token is not valid',
                headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"` },
              };
        }
      }
      const namespace = requestedNamespace(req.headers['x-namespace'], options.namespaces);
      if (namespace === undefined || !options.namespaces.includes(namespace)) {
        return {
          status: 403,
          error:
            options.namespaces.length > 1
              ? 'X-Namespace must name a namespace this codec server serves (it serves several: with the Temporal CLI, pass --namespace)'
              : 'X-Namespace must name a namespace this codec server serves',
        };
      }
      return undefined;
    },
    /** CORS headers for the request's origin: only for configured origins, none for others. */
    cors(req: IncomingMessage): Record<string, string> {
      const origin = req.headers.origin;
      if (typeof origin !== 'string' || !options.corsOrigins.includes(origin)) return { Vary: 'Origin' };
      return {
        Vary: 'Origin',
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Namespace',
        // The Web UI sends credentials when its codec setting includeCredentials is on.
        'Access-Control-Allow-Credentials': 'true',
      };
    },
  };
}

/**
 * The namespace a request is for: its X-Namespace, or, when that is empty or missing (the Temporal CLI
 * without --namespace), the namespace this server serves if it serves exactly one. The header is the
 * caller's word, not a credential: the token is what grants access.
 */
function requestedNamespace(
  header: string | string[] | undefined,
  served: readonly string[],
): string | undefined {
  if (Array.isArray(header)) return undefined;
  const named = header?.trim() ?? '';
  if (named !== '') return named;
  return served.length === 1 ? served[0] : undefined;
}
