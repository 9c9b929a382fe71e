// https:// sources, fetched with axios as a stream so a body over the limit is cut off early rather than
// buffered. Redirects are followed here, not by axios, so every hop is checked before it is requested:
// https only (never http://), and on an allowed host when there is an allow list.
import axios, { type AxiosResponse } from 'axios';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import * as tls from 'node:tls';
import { hostAllowed } from './allowed-hosts';
import type { SourceReader } from './reader';
import { describeUrl, type HttpsSource } from './source';
import { DocumentSourceError } from './source-error';

export interface HttpsReaderOptions {
  enabled: boolean;
  /** Normalised patterns (allowed-hosts.ts); undefined: any host. */
  allowedHosts?: readonly string[];
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

  const checkHost = (url: URL, label: string) => {
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
        const res = await get(current, agent, combined);
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
      if (deadline.signal.aborted) {
        throw new DocumentSourceError(
          'unreachable',
          `${label}: no complete answer within ${options.timeoutMs} ms`,
        );
      }
      // AxiosError messages name the host and port, never the URL's query.
      const reason = axios.isAxiosError(err) ? (err.code ?? err.message) : String(err);
      throw new DocumentSourceError('unreachable', `${label}: cannot be fetched (${reason})`);
    } finally {
      clearTimeout(timer);
    }
  };
}

function get(url: URL, agent: https.Agent, signal: AbortSignal): Promise<AxiosResponse<Readable>> {
  return axios.request<Readable>({
    url: url.href,
    method: 'GET',
    responseType: 'stream',
    httpsAgent: agent,
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
