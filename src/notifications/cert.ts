// Fetches SNS signing certificates: small, quick, never redirected, parsed before they are cached.
// Cached by URL (SNS names each certificate file after its key, so a URL's content does not change).
// A failed fetch is remembered too (5 minutes by default), so a body forged with a certificate URL
// that fails costs at most one fetch per URL in that time; and fetches of URLs not cached are capped
// per minute across all URLs, so forged bodies each naming a new URL cannot make this service fetch
// at their pace either. Every fetch goes through the address guard (public addresses only, connection
// pinned to the vetted address); the simulator's trusted origin may be on loopback.
import { X509Certificate } from 'node:crypto';
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { vetHost, type HostResolver } from '../net/address-guard';
import { BoundedCache } from './lru';
import { NotificationRejected, VerificationUnavailable } from './rejection';

export interface CertificateSourceOptions {
  /** Default 5 s. */
  timeoutMs?: number;
  /** A PEM certificate is ~2 KiB; default cap 64 KiB. */
  maxBytes?: number;
  /** Certificates kept; default 16 (SNS rotates its certificate rarely). */
  cacheSize?: number;
  /** How long a failed fetch is answered from memory, per URL. Default 5 minutes. */
  failureTtlMs?: number;
  /** Failed URLs remembered; default 256 (least recently used forgotten first). */
  failureCacheSize?: number;
  /** Fetches of URLs not in either cache, per minute, all URLs together. Default 10. */
  maxFetchesPerMinute?: number;
  /** Origins (`http://127.0.0.1:4010`, the local simulator's) whose host may be on loopback. */
  loopbackOrigins?: readonly string[];
  /** Replaces DNS (tests). */
  resolve?: HostResolver;
  http?: AxiosInstance;
  now?: () => number;
}

export type CertificateSource = (url: string) => Promise<X509Certificate>;

export function createCertificateSource({
  timeoutMs = 5000,
  maxBytes = 64 * 1024,
  cacheSize = 16,
  failureTtlMs = 5 * 60 * 1000,
  failureCacheSize = 256,
  maxFetchesPerMinute = 10,
  loopbackOrigins = [],
  resolve,
  http = axios,
  now = Date.now,
}: CertificateSourceOptions = {}): CertificateSource {
  // Promises, so concurrent messages signed with a new certificate fetch it once.
  const cache = new BoundedCache<string, Promise<X509Certificate>>(cacheSize);
  const failures = new BoundedCache<string, { error: Error; until: number }>(failureCacheSize);
  const loopback = new Set(loopbackOrigins.map((o) => new URL(o).origin));
  let fetchTimes: number[] = [];

  const fetchCertificate = async (url: string): Promise<X509Certificate> => {
    const target = new URL(url);
    let status: number;
    let body: unknown;
    try {
      const { lookup } = await vetHost(target.hostname, {
        allowLoopback: loopback.has(target.origin),
        resolve,
      });
      const res = await http.get<string>(url, {
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        timeout: timeoutMs,
        maxRedirects: 0,
        maxContentLength: maxBytes,
        validateStatus: () => true,
        proxy: false, // a proxy would connect in our place, to an address nobody checked
        lookup: lookup as AxiosRequestConfig['lookup'],
      });
      status = res.status;
      body = res.data;
    } catch (err) {
      if (axios.isAxiosError(err) && /maxContentLength/.test(err.message)) {
        throw new NotificationRejected(
          'bad_cert_url',
          `the signing certificate is larger than ${maxBytes} bytes`,
        );
      }
      // A refused address reads like a host that does not answer.
      throw new VerificationUnavailable('the signing certificate could not be fetched', { cause: err });
    }
    if (status >= 500 || status === 429) {
      throw new VerificationUnavailable(`the signing certificate could not be fetched (HTTP ${status})`);
    }
    if (status !== 200 || typeof body !== 'string') {
      throw new NotificationRejected('bad_cert_url', `the signing certificate URL answered HTTP ${status}`);
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(body);
    } catch {
      throw new NotificationRejected(
        'bad_cert_url',
        'the signing certificate URL did not serve a certificate',
      );
    }
    if (cert.publicKey.asymmetricKeyType !== 'rsa') {
      throw new NotificationRejected('bad_cert_url', 'the signing certificate does not hold an RSA key');
    }
    return cert;
  };

  return (url) => {
    const cached = cache.get(url);
    if (cached) return cached;
    const at = now();
    const failed = failures.get(url);
    if (failed && at < failed.until) return Promise.reject(failed.error);
    fetchTimes = fetchTimes.filter((t) => at - t < 60_000);
    if (fetchTimes.length >= maxFetchesPerMinute) {
      return Promise.reject(
        new VerificationUnavailable('too many signing certificates fetched in the last minute; retry later'),
      );
    }
    fetchTimes.push(at);
    const pending = fetchCertificate(url);
    cache.set(url, pending);
    pending.catch((error: Error) => {
      if (cache.get(url) === pending) cache.delete(url);
      failures.set(url, { error, until: now() + failureTtlMs });
    });
    return pending;
  };
}
