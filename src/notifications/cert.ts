// Fetches SNS signing certificates: small, quick, never redirected, parsed before they are cached.
// Cached by URL (SNS names each certificate file after its key, so a URL's content does not change);
// a failed fetch is not cached, so the next message tries again.
import { X509Certificate } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import { BoundedCache } from './lru';
import { NotificationRejected, VerificationUnavailable } from './rejection';

export interface CertificateSourceOptions {
  /** Default 5 s. */
  timeoutMs?: number;
  /** A PEM certificate is ~2 KiB; default cap 64 KiB. */
  maxBytes?: number;
  /** Certificates kept; default 16 (SNS rotates its certificate rarely). */
  cacheSize?: number;
  http?: AxiosInstance;
}

export type CertificateSource = (url: string) => Promise<X509Certificate>;

export function createCertificateSource({
  timeoutMs = 5000,
  maxBytes = 64 * 1024,
  cacheSize = 16,
  http = axios,
}: CertificateSourceOptions = {}): CertificateSource {
  // Promises, so concurrent messages signed with a new certificate fetch it once.
  const cache = new BoundedCache<string, Promise<X509Certificate>>(cacheSize);

  const fetchCertificate = async (url: string): Promise<X509Certificate> => {
    let status: number;
    let body: unknown;
    try {
      const res = await http.get<string>(url, {
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        timeout: timeoutMs,
        maxRedirects: 0,
        maxContentLength: maxBytes,
        validateStatus: () => true,
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
      const code = axios.isAxiosError(err) ? (err.code ?? 'network error') : 'network error';
      throw new VerificationUnavailable(`the signing certificate could not be fetched (${code})`, {
        cause: err,
      });
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
    const pending = fetchCertificate(url);
    cache.set(url, pending);
    pending.catch(() => {
      if (cache.get(url) === pending) cache.delete(url);
    });
    return pending;
  };
}
