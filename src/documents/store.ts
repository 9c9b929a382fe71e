// The one place that reads document bytes. Workflows hold a document by reference (its source, size and
// SHA-256); the activity that uploads it asks this store for the bytes. A source is parsed once
// (source.ts) and handed to the reader of its kind: a new kind (say `s3://bucket/key`) is one more
// reader and one more case below, behind the same interface.
import type { HostResolver } from '../net/address-guard';
import { normalizeHostPattern } from './allowed-hosts';
import { createFileReader } from './file-reader';
import { createHttpsReader } from './https-reader';
import type { ReadRequest } from './reader';
import { describeRawSource, isShapeIssue, parseSource } from './source';
import { DocumentSourceError } from './source-error';
import { storeOptionsFromEnv } from './store-env';

export { DocumentSourceError, type DocumentSourceProblem } from './source-error';
export { sourceShapeProblem } from './source';

export interface DocumentStore {
  /** The bytes of `source`: a path relative to the store's directory, or an https:// URL. At most `maxBytes`. */
  read(source: string, options?: { maxBytes?: number; signal?: AbortSignal }): Promise<Buffer>;
}

export interface DocumentStoreOptions {
  /** Directory relative paths are read from; none: path sources are refused (not_configured). */
  dir?: string;
  urls?: {
    /** Default true. */
    enabled?: boolean;
    /**
     * Host names, or `*.example.com` for any subdomain. None: URL sources are refused (not_configured)
     * unless `anyHost`.
     */
    allowedHosts?: string[];
    /** Without an allow list, any host (public addresses only all the same): ONBOARDING_ENV=local only. */
    anyHost?: boolean;
    /**
     * Loopback addresses (127.0.0.0/8, ::1) may be read too: tests and ONBOARDING_ENV=local only, never a default.
     * Every other non-public address (private, link-local, CGNAT, ...) is refused whatever this says.
     */
    allowLoopback?: boolean;
    /** Replaces DNS for URL hosts (tests). */
    resolve?: HostResolver;
    /** For a whole read, redirects and body included. Default 30 s. */
    timeoutMs?: number;
    /** A CA trusted in addition to the system's (tests). */
    ca?: string | Buffer;
  };
  /** Hard cap for any read (default 25 MiB); a read's own maxBytes may only be lower. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;
export const DEFAULT_URL_TIMEOUT_MS = 30_000;

export function createDocumentStore(options: DocumentStoreOptions): DocumentStore {
  const cap = options.maxBytes ?? DEFAULT_MAX_BYTES;
  assertByteCount(cap, 'maxBytes');
  const timeoutMs = options.urls?.timeoutMs ?? DEFAULT_URL_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`urls.timeoutMs must be a positive whole number, got ${timeoutMs}`);
  }
  const readers = {
    path: createFileReader(options.dir),
    https: createHttpsReader({
      enabled: options.urls?.enabled ?? true,
      allowedHosts: options.urls?.allowedHosts?.map(hostPattern),
      anyHost: options.urls?.anyHost,
      allowLoopback: options.urls?.allowLoopback,
      resolve: options.urls?.resolve,
      timeoutMs,
      ca: options.urls?.ca,
    }),
  };

  return {
    async read(source, { maxBytes, signal } = {}) {
      const parsed = parseSource(source);
      if (isShapeIssue(parsed)) {
        throw new DocumentSourceError(
          parsed.problem,
          `document source ${describeRawSource(source)} ${parsed.message}`,
        );
      }
      if (maxBytes !== undefined) assertByteCount(maxBytes, 'maxBytes');
      const request: ReadRequest = { maxBytes: Math.min(cap, maxBytes ?? cap), signal };
      switch (parsed.kind) {
        case 'path':
          return readers.path(parsed, request);
        case 'https':
          return readers.https(parsed, request);
      }
    },
  };
}

/**
 * From the environment: DOCUMENT_STORE_DIR, DOCUMENT_URLS, DOCUMENT_URL_HOSTS, DOCUMENT_URLS_ALLOW_LOOPBACK,
 * DOCUMENT_MAX_BYTES (store-env.ts). `local`: the local stack (src/config/), where URLs need no allow list.
 */
export function documentStoreFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  mode: { local?: boolean } = {},
): DocumentStore {
  return createDocumentStore(storeOptionsFromEnv(env, mode));
}

function hostPattern(entry: string): string {
  const pattern = normalizeHostPattern(entry);
  if (pattern === undefined) {
    throw new RangeError(
      `urls.allowedHosts: ${JSON.stringify(entry)} is not a host name (no scheme, port or path)`,
    );
  }
  return pattern;
}

// A programming error, not a document's problem: a plain RangeError.
function assertByteCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number of bytes (0 or more), got ${value}`);
  }
}
