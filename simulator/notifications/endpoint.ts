// Which subscription endpoints the simulator accepts. Circle takes https only; a local receiver rarely
// has a certificate, so plain http is allowed for loopback hosts (and only for them: the simulator must
// not become a way to POST to arbitrary plain-http hosts).
import { isIP } from 'node:net';
import { circleFail } from '../errors';

const MAX_ENDPOINT_LENGTH = 2048;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

/** The endpoint as a URL, or a 400 naming what is wrong with it. */
export function parseEndpoint(raw: unknown): URL {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw invalid('endpoint is required: an https:// URL (http:// only for a loopback host)', 'required');
  }
  if (raw.length > MAX_ENDPOINT_LENGTH) {
    throw invalid(`endpoint must be at most ${MAX_ENDPOINT_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`endpoint ${raw} is not an absolute URL`, 'invalid_format');
  }
  if (url.username || url.password) throw invalid('endpoint must not carry credentials');
  if (url.hash) throw invalid('endpoint must not carry a #fragment');
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  if (url.protocol === 'http:') {
    throw invalid(
      `endpoint must use https://; http:// is accepted only for loopback hosts (localhost, 127.0.0.0/8, ::1), not ${url.hostname}`,
    );
  }
  throw invalid(`endpoint must use https:// (or http:// on a loopback host), not ${url.protocol}`);
}

function invalid(message: string, error = 'invalid_value') {
  return circleFail(400, message, [{ path: 'endpoint', error, message }]);
}
