// https:// sources, fetched with axios as a stream so a body over the limit is cut off early rather than
// buffered. Redirects are followed here, not by axios, so every hop is checked before it is requested:
// https only (never http://), on an allowed host (an allow list, or any host with ONBOARDING_ENV=local), and on
// public addresses only, connecting to the very address that was checked (src/net/address-guard.ts).
//
// What a caller learns from a failure is no more than "could not be read": a host that resolves to an
// internal address, one that does not resolve, a refused connection, a TLS failure and a timeout all
// fail the same way (`unreachable`, one message), so document sources are no probe of the network.
import axios, { type AxiosRequestConfig, type AxiosResponse } from 'axios';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import * as tls from 'node:tls';
import { vetHost, type HostResolver } from '../net/address-guard';
import { hostAllowed } from './allowed-hosts';
import type { SourceReader } from './reader';
import { describeUrl, type HttpsSource } from './source';
import { DocumentSourceError } from './source-error';

export interface HttpsReaderOptions {
  enabled: boolean;
  /** Normalised patterns (allowed-hosts.ts); undefined: any host if `anyHost`, else URL sources are refused. */
  allowedHosts?: readonly string[];
  /** Without an allow list, any (public) host: ONBOARDING_ENV=local only. */
  anyHost?: boolean;
  /** Loopback addresses accepted too: tests and ONBOARDING_ENV=local only. */
  allowLoopback?: boolean;
  /** Replaces DNS (tests). */
  resolve?: HostResolver;
  /** For the whole read, redirects and body included. */
  timeoutMs: number;
  /** A CA trusted in addition to the system's. */
  ca?: string | Buffer;
}

const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const RETRYABLE_STATUSES = [408, 425, 429];

export function createHttpsReader(options: HttpsReaderOptions): SourceReader<HttpsSource> {
  // `ca` alone would replace the system's roots; keep-alive off: one document, one connection.
  const agent = new https.Agent({
    keepAlive: false,
    ...(options.ca !== undefined && { ca: [...tls.rootCertificates, options.ca.toString()] }),
  });

  const policy = { allowLoopback: options.allowLoopback === true, resolve: options.resolve };

  const checkHost = (url: URL, label: string) => {
    if (!options.allowedHosts && !options.anyHost) {
      throw new DocumentSourceError(
        'not_configured',
        `${label}: URL sources need an allow list of hosts (DOCUMENT_URL_HOSTS) with ONBOARDING_ENV=production`,
      );
    }
    if (options.allowedHosts && !hostAllowed(options.allowedHosts, url.hostname)) {
      throw new DocumentSourceError(
        'host_not_allowed',
        `${label}: host ${url.hostname} is not in the allow list (DOCUMENT_URL_HOSTS)`,
      );
    }
  };

  return async ({ url }, { maxBytes, signal }) => {
    const label = `document source ${describeUrl(url)}`;
    if (!options.enabled) {
      throw new DocumentSourceError(
        'not_configured',
        `${label}: URL sources are disabled (DOCUMENT_URLS=off)`,
      );
    }
    checkHost(url, label);
    signal?.throwIfAborted();

    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    try {
      let current = url;
      for (let hops = 0; ; hops++) {
        // Resolved once, every address checked, and the connection pinned to them.
        const { lookup } = await vetHost(current.hostname, policy, combined);
        const res = await get(current, agent, lookup, combined);
        const next = redirectTarget(res, current, label);
        if (next === undefined) return await body(res, label, maxBytes);
        if (hops === MAX_REDIRECTS) {
          throw new DocumentSourceError('invalid_source', `${label}: more than ${MAX_REDIRECTS} redirects`);
        }
        checkHost(next, label);
        current = next;
      }
    } catch (err) {
      if (err instanceof DocumentSourceError) throw err;
      if (signal?.aborted) throw signal.reason; // the caller's cancellation, as the caller made it
      // A refused address, no DNS answer, a refused connection, TLS, a reset, the deadline: one answer.
      throw new DocumentSourceError('unreachable', `${label}: could not be read`);
    } finally {
      clearTimeout(timer);
    }
  };
}

function get(
  url: URL,
  agent: https.Agent,
  lookup: LookupFunction,
  signal: AbortSignal,
): Promise<AxiosResponse<Readable>> {
  return axios.request<Readable>({
    url: url.href,
    method: 'GET',
    responseType: 'stream',
    httpsAgent: agent,
    // The vetted addresses: no second DNS lookup between the check and the connection.
    lookup: lookup as AxiosRequestConfig['lookup'],
    maxRedirects: 0, // followed in the loop above, each hop checked
    proxy: false, // axios would send https through an env proxy without a CONNECT tunnel
    decompress: false, // with `identity`, the bytes counted are the bytes stored and Content-Length is exact
    headers: { Accept: '*/*', 'Accept-Encoding': 'identity' },
    validateStatus: () => true,
    signal,
  });
}

/** The URL a redirect leads to; undefined for a 200; throws for every other status. */
function redirectTarget(res: AxiosResponse<Readable>, current: URL, label: string): URL | undefined {
  const status = res.status;
  if (status === 200) return undefined;
  res.data.destroy(); // no body but a 200's is read
  if (REDIRECT_STATUSES.includes(status)) {
    const location = res.headers['location'];
    const next =
      typeof location === 'string' && URL.canParse(location, current.href)
        ? new URL(location, current)
        : null;
    if (!next)
      throw new DocumentSourceError('not_found', `${label}: HTTP ${status} without a usable Location`);
    if (next.protocol !== 'https:') {
      throw new DocumentSourceError(
        'invalid_source',
        `${label}: redirects to a ${next.protocol} URL; only https is followed`,
      );
    }
    if (next.username !== '' || next.password !== '') {
      throw new DocumentSourceError('invalid_source', `${label}: redirects to a URL carrying credentials`);
    }
    return next;
  }
  if (status >= 500 || RETRYABLE_STATUSES.includes(status)) {
    throw new DocumentSourceError('unreachable', `${label}: HTTP ${status}`);
  }
  // 401/403 included: an expired signed URL or a missing object behind one; a retry will not change it.
  throw new DocumentSourceError('not_found', `${label}: HTTP ${status}`);
}

async function body(res: AxiosResponse<Readable>, label: string, maxBytes: number): Promise<Buffer> {
  const declared = contentLength(res.headers['content-length']);
  if (declared !== undefined && declared > maxBytes) {
    res.data.destroy();
    throw new DocumentSourceError(
      'too_large',
      `${label}: is ${declared} bytes, more than ${maxBytes}`,
      declared,
    );
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.data as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      res.data.destroy(); // closes the connection: the rest is never downloaded
      throw new DocumentSourceError('too_large', `${label}: is more than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function contentLength(value: unknown): number | undefined {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}
