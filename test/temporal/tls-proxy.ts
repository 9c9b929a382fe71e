// A TLS-terminating gRPC proxy for tests: an HTTP/2 server with a test CA's certificate that forwards
// every stream to the dev server over h2c, copying headers, body and trailers, and records the
// `authorization` header each request carried (what Temporal Cloud would check).
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

export interface TestCa {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

/** A CA, and a server certificate it signed for `localhost` and 127.0.0.1 (rustls refuses a CA as leaf). */
export async function makeTestCa(): Promise<TestCa> {
  const ca = await generate([{ name: 'commonName', value: 'onboarding test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { caCert: ca.cert, serverCert: server.cert, serverKey: server.private };
}

export interface TlsProxy {
  address: string;
  /** The `authorization` header of every request, in order (undefined when absent). */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export async function startTlsProxy(ca: TestCa, upstreamAddress: string): Promise<TlsProxy> {
  const upstream = http2.connect(`http://${upstreamAddress}`);
  upstream.on('error', () => undefined); // each stream reports its own failure
  const authorizations: (string | undefined)[] = [];
  const server = http2.createSecureServer({ key: ca.serverKey, cert: ca.serverCert });
  server.on('sessionError', () => undefined);
  server.on('stream', (down, headers) => {
    authorizations.push(headers.authorization);
    const forwarded = Object.fromEntries(
      Object.entries(headers).filter(([k]) => k !== ':authority' && k !== ':scheme'),
    );
    const up = upstream.request(forwarded);
    let trailers: http2.OutgoingHttpHeaders = {};
    down.on('data', (chunk: Buffer) => up.write(chunk));
    down.on('end', () => up.end());
    down.on('error', () => undefined);
    down.on('close', () => {
      if (!up.closed) up.close(down.rstCode || http2.constants.NGHTTP2_CANCEL);
    });
    up.on('error', () => undefined);
    up.on('response', (h, flags) => {
      if (down.closed) return;
      // A trailers-only gRPC answer (an error status) ends the stream with its headers.
      const endStream = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0 || 'grpc-status' in h;
      down.respond(h, endStream ? { endStream: true } : { waitForTrailers: true });
    });
    down.on('wantTrailers', () => down.sendTrailers(trailers));
    up.on('trailers', (t) => {
      trailers = t;
    });
    up.on('data', (chunk: Buffer) => {
      if (!down.closed && !down.writableEnded) down.write(chunk);
    });
    up.on('end', () => {
      if (!down.closed && !down.writableEnded) down.end();
    });
    up.on('close', () => {
      if (!down.closed && up.rstCode) down.close(up.rstCode);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations,
    async close() {
      for (const s of sessions) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      upstream.close();
    },
  };
}
