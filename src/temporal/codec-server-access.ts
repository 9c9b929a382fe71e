// Who may use the codec server: a bearer token whose SHA-256 is configured (compared in constant time,
// as the service compares its API keys), for an allowed namespace, from an allowed browser origin.
import type { IncomingMessage } from 'node:http';
import { keyMatcher } from '../service/auth';

export interface CodecAccessOptions {
  /** SHA-256 hex of the accepted tokens; empty: no token needed (local mode only). */
  tokenHashes: readonly string[];
  /** Namespaces the caller may name in X-Namespace. */
  namespaces: readonly string[];
  /** Web UI origins answered with CORS headers. */
  corsOrigins: readonly string[];
}

export type Refusal = { status: 401 | 403; error: string; headers?: Record<string, string> };

const CHALLENGE = 'Bearer realm="codec-server"';

export function codecAccess(options: CodecAccessOptions) {
  const match = keyMatcher(
    options.tokenHashes.map((sha256, i) => ({ name: `token-${i + 1}`, sha256, scope: 'read' as const })),
  );
  return {
    /** Undefined when the request may proceed. */
    check(req: IncomingMessage): Refusal | undefined {
      if (options.tokenHashes.length > 0) {
        const presented = bearer(req.headers.authorization);
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
      const namespace = req.headers['x-namespace'];
      if (typeof namespace !== 'string' || !options.namespaces.includes(namespace)) {
        return { status: 403, error: 'X-Namespace must name a namespace this codec server serves' };
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

function bearer(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
