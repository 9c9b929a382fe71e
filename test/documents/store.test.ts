// The document store: path sources under a temporary directory, https sources from a local server with a
// self-signed certificate made for this run, and the configuration from the environment.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  createDocumentStore,
  DEFAULT_MAX_BYTES,
  DocumentSourceError,
  documentStoreFromEnv,
  type DocumentSourceProblem,
} from '../../src/documents/store';
import type { HostResolver } from '../../src/net/address-guard';

const examples = path.join(__dirname, '../../examples/documents');
const pdf = readFileSync(path.join(examples, 'certificate-of-incorporation.pdf'));
const png = readFileSync(path.join(examples, 'representative-id.png'));

/** The DocumentSourceError a read fails with; fails the test when the read succeeds or fails otherwise. */
async function failure(read: Promise<unknown>): Promise<DocumentSourceError> {
  const err = await read.then(
    () => {
      throw new Error('expected the read to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DocumentSourceError);
  return err as DocumentSourceError;
}

async function expectProblem(
  read: Promise<unknown>,
  problem: DocumentSourceProblem,
): Promise<DocumentSourceError> {
  const err = await failure(read);
  expect({ problem: err.problem, retryable: err.retryable }).toEqual({
    problem,
    retryable: problem === 'unreachable',
  });
  return err;
}

let tmp: string;
let storeDir: string;
beforeAll(() => {
  // tmp/store is the store; tmp/secret.txt and tmp/outside/ are beside it, reachable only by escaping.
  tmp = mkdtempSync(path.join(tmpdir(), 'document-store-'));
  storeDir = path.join(tmp, 'store');
  mkdirSync(path.join(storeDir, 'sub'), { recursive: true });
  mkdirSync(path.join(storeDir, 'folder'));
  mkdirSync(path.join(tmp, 'outside'));
  writeFileSync(path.join(storeDir, 'a.pdf'), pdf);
  writeFileSync(path.join(storeDir, 'sub', 'b.png'), png);
  writeFileSync(path.join(storeDir, 'big.bin'), Buffer.alloc(2000, 7));
  writeFileSync(path.join(tmp, 'secret.txt'), 'not for the store');
  writeFileSync(path.join(tmp, 'outside', 'c.txt'), 'not for the store either');
  symlinkSync('a.pdf', path.join(storeDir, 'link-in.pdf'));
  symlinkSync('../secret.txt', path.join(storeDir, 'link-out.txt'));
  symlinkSync(path.join(tmp, 'outside'), path.join(storeDir, 'dir-out'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('path sources', () => {
  test('reads a file relative to the directory, with . and .. that stay inside, and symlinks inside', async () => {
    const store = createDocumentStore({ dir: storeDir });
    expect(await store.read('a.pdf')).toEqual(pdf);
    expect(await store.read('sub/b.png')).toEqual(png);
    expect(await store.read('./sub/../a.pdf')).toEqual(pdf);
    expect(await store.read('link-in.pdf')).toEqual(pdf);
  });

  test('refuses absolute paths, even to a file inside the directory', async () => {
    const store = createDocumentStore({ dir: storeDir });
    const err = await expectProblem(store.read(path.join(storeDir, 'a.pdf')), 'invalid_source');
    expect(err.message).toMatch(/not an absolute path/);
  });

  test('refuses .. escapes and symlinks that point outside', async () => {
    const store = createDocumentStore({ dir: storeDir });
    await expectProblem(store.read('../secret.txt'), 'outside_store');
    await expectProblem(store.read('sub/../../secret.txt'), 'outside_store');
    await expectProblem(store.read('link-out.txt'), 'outside_store');
    await expectProblem(store.read('dir-out/c.txt'), 'outside_store');
  });

  test('a missing file or a folder is not_found', async () => {
    const store = createDocumentStore({ dir: storeDir });
    const err = await expectProblem(store.read('sub/missing.pdf'), 'not_found');
    expect(err.message).toContain('"sub/missing.pdf"');
    await expectProblem(store.read('a.pdf/x'), 'not_found');
    await expectProblem(store.read('folder'), 'not_found');
  });

  test('a file over the store cap or the read limit is too_large with its size; exactly the limit is read', async () => {
    const store = createDocumentStore({ dir: storeDir, maxBytes: 1999 });
    const err = await expectProblem(store.read('big.bin'), 'too_large');
    expect(err.size).toBe(2000);
    expect(err.message).toMatch(/2000 bytes, more than 1999/);
    // A read's own limit may lower the cap, never raise it.
    expect((await expectProblem(store.read('big.bin', { maxBytes: 10_000 }), 'too_large')).size).toBe(2000);
    expect((await expectProblem(store.read('a.pdf', { maxBytes: pdf.length - 1 }), 'too_large')).size).toBe(
      pdf.length,
    );
    expect(await store.read('a.pdf', { maxBytes: pdf.length })).toEqual(pdf);
    expect(await createDocumentStore({ dir: storeDir, maxBytes: 2000 }).read('big.bin')).toHaveLength(2000);
  });

  test('path sources without a directory, or with one that is gone, are not_configured', async () => {
    await expectProblem(createDocumentStore({}).read('a.pdf'), 'not_configured');
    await expectProblem(createDocumentStore({ dir: path.join(tmp, 'gone') }).read('a.pdf'), 'not_configured');
  });

  test('sources of the wrong shape are invalid_source before any I/O', async () => {
    const store = createDocumentStore({ dir: storeDir });
    for (const source of [
      '',
      'a\0.pdf',
      'a\n.pdf',
      'data:application/pdf;base64,JVBERi0=',
      'file:///etc/passwd',
    ]) {
      await expectProblem(store.read(source), 'invalid_source');
    }
    await expectProblem(store.read('sub\\b.png'), 'invalid_source');
    await expectProblem(store.read('sub/'), 'invalid_source');
    await expectProblem(store.read('sub/..'), 'invalid_source');
  });

  test('a read whose signal is already aborted fails with the abort reason', async () => {
    const reason = new Error('cancelled by the activity');
    const read = createDocumentStore({ dir: storeDir }).read('a.pdf', { signal: AbortSignal.abort(reason) });
    await expect(read).rejects.toBe(reason);
  });

  test('a negative read limit is a programming error', async () => {
    await expect(createDocumentStore({ dir: storeDir }).read('a.pdf', { maxBytes: -1 })).rejects.toThrow(
      RangeError,
    );
    expect(() => createDocumentStore({ maxBytes: 1.5 })).toThrow(RangeError);
    expect(() => createDocumentStore({ urls: { allowedHosts: ['https://example.com'] } })).toThrow(
      /allowedHosts: "https:\/\/example.com" is not a host name/,
    );
  });
});

/** Every name and address the test server's certificate is valid for (what is refused must not fail on TLS). */
const CERT_NAMES = 'IP:127.0.0.1,IP:0.0.0.0,IP:::1,DNS:localhost,DNS:docs.example.test,DNS:evil.example';

describe('https sources', () => {
  let server: https.Server;
  /** TCP connections the https server accepted: a refused address must not add one. */
  let connections = 0;
  let plain: http.Server;
  let base: string;
  let plainRequests = 0;
  let ca: string;
  let endlessClosed: Promise<{ sent: number; finished: boolean }>;
  const ENDLESS_TOTAL = 64 * 1024 * 1024;

  beforeAll(async () => {
    const certDir = path.join(tmp, 'cert');
    mkdirSync(certDir);
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'],
        ...['-addext', `subjectAltName=${CERT_NAMES}`, '-keyout', 'key.pem', '-out', 'cert.pem'],
      ],
      { cwd: certDir, stdio: 'ignore' },
    );
    ca = readFileSync(path.join(certDir, 'cert.pem'), 'utf8');
    const key = readFileSync(path.join(certDir, 'key.pem'), 'utf8');

    plain = http.createServer((_req, res) => {
      plainRequests++;
      res.end(pdf);
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const plainPort = (plain.address() as AddressInfo).port;

    let endlessDone!: (v: { sent: number; finished: boolean }) => void;
    endlessClosed = new Promise((resolve) => (endlessDone = resolve));
    server = https.createServer({ key, cert: ca }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const redirect = (location: string) => res.writeHead(302, { Location: location }).end();
      switch (url.pathname) {
        case '/doc.pdf':
          return res.writeHead(200, { 'Content-Length': pdf.length }).end(pdf);
        case '/broken':
          return res.writeHead(500).end('oops');
        case '/busy':
          return res.writeHead(429).end();
        case '/expired':
          return res.writeHead(403).end();
        case '/declared-big':
          return res.writeHead(200, { 'Content-Length': 5000 }).end(Buffer.alloc(5000));
        case '/endless': {
          // No Content-Length: chunked, so only counting while streaming can stop it.
          res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
          const chunk = Buffer.alloc(64 * 1024, 1);
          let sent = 0;
          res.on('close', () => endlessDone({ sent, finished: res.writableFinished }));
          const pump = (): void => {
            while (!res.destroyed && sent < ENDLESS_TOTAL) {
              sent += chunk.length;
              if (!res.write(chunk)) {
                res.once('drain', pump);
                return;
              }
            }
            if (!res.destroyed) res.end();
          };
          return pump();
        }
        case '/to-http':
          return redirect(`http://127.0.0.1:${plainPort}/doc.pdf`);
        case '/to-doc':
          return redirect('/doc.pdf');
        case '/to-localhost':
          return redirect(`https://localhost:${(server.address() as AddressInfo).port}/doc.pdf`);

        case '/loop':
          return redirect('/loop');
        case '/slow':
          return; // never answers
        default:
          return res.writeHead(404).end('no such document');
      }
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    plain?.closeAllConnections();
    await Promise.all([server, plain].map((s) => s && new Promise((resolve) => s.close(resolve))));
  });

  type UrlOptions = Parameters<typeof createDocumentStore>[0]['urls'];
  /** The test server is on loopback: allowed explicitly, as only tests and local mode may. */
  const store = (urls: UrlOptions = {}, maxBytes?: number) =>
    createDocumentStore({ urls: { ca, anyHost: true, allowLoopback: true, ...urls }, maxBytes });

  test('reads a document, following https redirects on the same host', async () => {
    expect(await store().read(`${base}/doc.pdf`)).toEqual(pdf);
    expect(await store({ allowedHosts: ['127.0.0.1'] }).read(`${base}/to-doc`)).toEqual(pdf);
  });

  test('a 404 (or 403) is not_found; the message has no query string', async () => {
    const err = await expectProblem(store().read(`${base}/missing.pdf?X-Amz-Signature=s3cr3t`), 'not_found');
    expect(err.message).toBe(`document source ${base}/missing.pdf: HTTP 404`);
    const expired = await expectProblem(store().read(`${base}/expired?sig=s3cr3t#frag`), 'not_found');
    expect(expired.message).not.toMatch(/s3cr3t|frag/);
  });

  test('a 500 or a 429 is unreachable and retryable', async () => {
    expect((await expectProblem(store().read(`${base}/broken`), 'unreachable')).message).toMatch(/HTTP 500/);
    expect((await expectProblem(store().read(`${base}/busy`), 'unreachable')).message).toMatch(/HTTP 429/);
  });

  test('a declared Content-Length over the limit is too_large with that size, body unread', async () => {
    const err = await expectProblem(store({}, 1000).read(`${base}/declared-big`), 'too_large');
    expect(err.size).toBe(5000);
  });

  test('a chunked body over the limit is too_large and the connection is cut early', async () => {
    const err = await expectProblem(store().read(`${base}/endless`, { maxBytes: 100_000 }), 'too_large');
    expect(err.size).toBeUndefined();
    const closed = await endlessClosed;
    expect(closed.finished).toBe(false);
    expect(closed.sent).toBeLessThan(ENDLESS_TOTAL);
  });

  test('http:// is refused, as a source and as a redirect target, without a request', async () => {
    const port = (plain.address() as AddressInfo).port;
    await expectProblem(store().read(`http://127.0.0.1:${port}/doc.pdf`), 'invalid_source');
    const err = await expectProblem(store().read(`${base}/to-http`), 'invalid_source');
    expect(err.message).toMatch(/redirects to a http: URL/);
    expect(plainRequests).toBe(0);
  });

  test('hosts outside the allow list are refused, directly or by redirect', async () => {
    await expectProblem(store({ allowedHosts: ['example.com'] }).read(`${base}/doc.pdf`), 'host_not_allowed');
    const err = await expectProblem(
      store({ allowedHosts: ['127.0.0.1'] }).read(`${base}/to-localhost`),
      'host_not_allowed',
    );
    expect(err.message).toMatch(/host localhost is not in the allow list/);
  });

  test('a redirect loop stops after a few hops', async () => {
    expect((await expectProblem(store().read(`${base}/loop`), 'invalid_source')).message).toMatch(
      /redirects/,
    );
  });

  test('URL sources can be switched off', async () => {
    await expectProblem(store({ enabled: false }).read(`${base}/doc.pdf`), 'not_configured');
  });

  test('a certificate no trusted CA signed is unreachable', async () => {
    const untrusting = createDocumentStore({ urls: { anyHost: true, allowLoopback: true } });
    await expectProblem(untrusting.read(`${base}/doc.pdf`), 'unreachable');
  });

  test('a server that does not answer in time is unreachable', async () => {
    const err = await expectProblem(store({ timeoutMs: 200 }).read(`${base}/slow`), 'unreachable');
    expect(err.message).toBe(`document source ${base}/slow: could not be read`);
  });

  test('without an allow list, and outside local mode (no anyHost), URL sources are refused before any request', async () => {
    const before = connections;
    const err = await expectProblem(
      createDocumentStore({ urls: { ca, allowLoopback: true } }).read(`${base}/doc.pdf`),
      'not_configured',
    );
    expect(err.message).toMatch(/need an allow list of hosts \(DOCUMENT_URL_HOSTS\)/);
    expect(connections).toBe(before);
  });

  test("the caller's abort ends the read with the caller's reason", async () => {
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 100);
    await expect(store().read(`${base}/slow`, { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe('https sources: internal addresses are never connected to', () => {
  // The same server and certificate as above, read by a store without the loopback allowance.
  let server: https.Server;
  let connections = 0;
  let base: string;
  let ca: string;
  beforeAll(async () => {
    const certDir = mkdtempSync(path.join(tmp, 'cert-'));
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'],
        ...['-addext', `subjectAltName=${CERT_NAMES}`, '-keyout', 'key.pem', '-out', 'cert.pem'],
      ],
      { cwd: certDir, stdio: 'ignore' },
    );
    ca = readFileSync(path.join(certDir, 'cert.pem'), 'utf8');
    const key = readFileSync(path.join(certDir, 'key.pem'), 'utf8');
    server = https.createServer({ key, cert: ca }, (req, res) => {
      const redirect = (location: string) => res.writeHead(302, { Location: location }).end();
      const port = (server.address() as AddressInfo).port;
      switch (req.url) {
        case '/doc.pdf':
          return res.writeHead(200, { 'Content-Length': pdf.length }).end(pdf);
        case '/to-unspecified':
          // 0.0.0.0 reaches this machine (Linux): a non-public target that is not loopback.
          return redirect(`https://0.0.0.0:${port}/doc.pdf`);
        case '/to-mapped':
          return redirect(`https://[::ffff:0.0.0.0]:${port}/doc.pdf`);
        case '/to-internal-name':
          return redirect(`https://internal.example.test:${port}/doc.pdf`);
        case '/to-name':
          return redirect(`https://docs.example.test:${port}/doc.pdf`);
        default:
          return res.writeHead(404).end();
      }
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  const port = () => (server.address() as AddressInfo).port;
  /** Resolves names from a table (never real DNS) and counts the questions. */
  const resolver = (table: Record<string, string[] | ((call: number) => string[])>) => {
    const calls: string[] = [];
    const resolve: HostResolver = async (host) => {
      calls.push(host);
      const entry = table[host];
      const answer = typeof entry === 'function' ? entry(calls.filter((h) => h === host).length) : entry;
      if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return answer.map((address) => ({ address, family: isIP(address) }));
    };
    return { resolve, calls };
  };
  /** Production's rules (any public host, as in local mode without a list), plus the test CA. */
  const strict = (urls: NonNullable<Parameters<typeof createDocumentStore>[0]['urls']> = {}) =>
    createDocumentStore({ urls: { ca, anyHost: true, ...urls } });
  /** The test server on loopback is allowed; only what it redirects to is judged. */
  const viaLoopback = (urls: NonNullable<Parameters<typeof createDocumentStore>[0]['urls']> = {}) =>
    createDocumentStore({ urls: { ca, anyHost: true, allowLoopback: true, ...urls } });

  /** Refused: `unreachable` with the one message an unreachable host gets, and no connection made. */
  async function refusedWithoutConnecting(read: Promise<unknown>, source: string): Promise<void> {
    const before = connections;
    const err = await expectProblem(read, 'unreachable');
    expect(err.message).toBe(`document source ${source}: could not be read`);
    expect(connections).toBe(before);
  }

  test.each([
    ['127.0.0.1', () => `https://127.0.0.1:${port()}`],
    ['localhost', () => `https://localhost:${port()}`],
    ['[::1]', () => `https://[::1]:${port()}`],
    ['[::ffff:127.0.0.1] (IPv4-mapped)', () => `https://[::ffff:127.0.0.1]:${port()}`],
    ['[::ffff:7f00:1] (IPv4-mapped, hex)', () => `https://[::ffff:7f00:1]:${port()}`],
    ['0x7f.1 (127.0.0.1 spelt otherwise)', () => `https://0x7f.1:${port()}`],
    ['0.0.0.0', () => `https://0.0.0.0:${port()}`],
  ])('a URL whose host is %s', async (_name, origin) => {
    const source = `${origin()}/doc.pdf`;
    await refusedWithoutConnecting(strict().read(source), new URL(source).origin + '/doc.pdf');
  });

  test('an allow list does not make an internal address readable', async () => {
    await refusedWithoutConnecting(
      strict({ allowedHosts: ['127.0.0.1', 'localhost'] }).read(`${base}/doc.pdf`),
      `${base}/doc.pdf`,
    );
  });

  test('a name that resolves to loopback, to a private address, or to a public and a private one', async () => {
    const { resolve, calls } = resolver({
      'evil.example': ['127.0.0.1'],
      'metadata.example': ['169.254.169.254'],
      'intranet.example': ['10.0.0.7'],
      'mixed.example': ['93.184.215.14', '127.0.0.1'],
      'v6.example': ['fd00::1'],
      'nat64.example': ['64:ff9b::7f00:1'],
    });
    for (const host of [
      'evil.example',
      'metadata.example',
      'intranet.example',
      'mixed.example',
      'v6.example',
      'nat64.example',
    ]) {
      const source = `https://${host}:${port()}/doc.pdf`;
      await refusedWithoutConnecting(strict({ resolve }).read(source), source);
    }
    expect(calls).toHaveLength(6); // each name asked once, and nothing connected
  });

  test('a redirect from an allowed server to an internal address is refused like an unreachable host', async () => {
    const { resolve } = resolver({ 'internal.example.test': ['192.168.1.10'] });
    for (const path of ['/to-unspecified', '/to-mapped', '/to-internal-name']) {
      const before = connections;
      const err = await expectProblem(viaLoopback({ resolve }).read(`${base}${path}`), 'unreachable');
      expect(err.message).toBe(`document source ${base}${path}: could not be read`);
      expect(connections).toBe(before + 1); // the first hop only
    }
  });

  test('what callers see of a refused address is what they see of a host nothing answers on', async () => {
    // A loopback port with nothing listening, read with loopback allowed: a real refused connection.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { resolve } = resolver({ 'evil.example': ['10.0.0.1'], 'gone.example': ['127.0.0.1'] });
    const refused = await failure(strict({ resolve }).read(`https://evil.example:${closedPort}/a.pdf`));
    const unresolved = await failure(strict({ resolve }).read(`https://nowhere.example:${closedPort}/a.pdf`));
    const unanswered = await failure(
      viaLoopback({ resolve }).read(`https://gone.example:${closedPort}/a.pdf`),
    );
    const seen = (e: DocumentSourceError) => ({
      problem: e.problem,
      retryable: e.retryable,
      message: e.message.replace(/https:\/\/[^/]+/, '<origin>'),
      size: e.size,
    });
    expect(seen(refused)).toEqual(seen(unanswered));
    expect(seen(unresolved)).toEqual(seen(unanswered));
    expect(seen(unanswered)).toEqual({
      problem: 'unreachable',
      retryable: true,
      message: 'document source <origin>/a.pdf: could not be read',
      size: undefined,
    });
  });

  test('the connection goes to the address that was checked: one lookup per hop, never a second', async () => {
    // First answer: the server's address. Any later one: another loopback address nothing listens on,
    // so a second lookup (check, then connect) would fail the read.
    const { resolve, calls } = resolver({
      'docs.example.test': (call) => (call === 1 ? ['127.0.0.1'] : ['127.0.0.2']),
    });
    const source = `https://docs.example.test:${port()}/doc.pdf`;
    expect(await viaLoopback({ resolve }).read(source)).toEqual(pdf);
    expect(calls).toEqual(['docs.example.test']);

    // A redirect is a new hop: asked again (once), and checked again.
    const again = resolver({ 'docs.example.test': ['127.0.0.1'] });
    expect(await viaLoopback({ resolve: again.resolve }).read(`${base}/to-name`)).toEqual(pdf);
    expect(again.calls).toEqual(['docs.example.test']);
    const rebound = resolver({ 'docs.example.test': ['10.1.2.3'] });
    await expectProblem(viaLoopback({ resolve: rebound.resolve }).read(`${base}/to-name`), 'unreachable');
  });
});

describe('documentStoreFromEnv', () => {
  test('reads the directory and the cap; path sources need the directory', async () => {
    const store = documentStoreFromEnv({ DOCUMENT_STORE_DIR: storeDir, DOCUMENT_MAX_BYTES: '1000' });
    expect(await store.read('a.pdf')).toEqual(pdf);
    expect((await expectProblem(store.read('big.bin'), 'too_large')).size).toBe(2000);
    await expectProblem(documentStoreFromEnv({}).read('a.pdf'), 'not_configured');
    expect(DEFAULT_MAX_BYTES).toBe(25 * 1024 * 1024);
  });

  test('DOCUMENT_URLS=off and DOCUMENT_URL_HOSTS apply before any request', async () => {
    await expectProblem(
      documentStoreFromEnv({ DOCUMENT_URLS: 'off' }).read('https://example.com/a.pdf'),
      'not_configured',
    );
    await expectProblem(
      documentStoreFromEnv({ DOCUMENT_URL_HOSTS: ' docs.example.com , *.s3.amazonaws.com ' }).read(
        'https://example.com/a.pdf',
      ),
      'host_not_allowed',
    );
  });

  test('in production a URL needs DOCUMENT_URL_HOSTS; in local any public host, loopback only when asked', async () => {
    const url = 'https://docs.example.com/a.pdf';
    const err = await expectProblem(documentStoreFromEnv({}).read(url), 'not_configured');
    expect(err.message).toMatch(/DOCUMENT_URL_HOSTS/);
    // Local mode: no allow list needed, but loopback stays refused unless DOCUMENT_URLS_ALLOW_LOOPBACK=true.
    const local = documentStoreFromEnv({}, { local: true });
    await expectProblem(local.read('https://127.0.0.1:1/a.pdf'), 'unreachable');
    expect(() => documentStoreFromEnv({ DOCUMENT_URLS_ALLOW_LOOPBACK: 'true' })).toThrow(
      /DOCUMENT_URLS_ALLOW_LOOPBACK: may be true only with ONBOARDING_ENV=local/,
    );
    expect(() => documentStoreFromEnv({ DOCUMENT_URLS_ALLOW_LOOPBACK: 'yes' }, { local: true })).toThrow(
      /DOCUMENT_URLS_ALLOW_LOOPBACK: must be "true" or "false", got "yes"/,
    );
    documentStoreFromEnv({ DOCUMENT_URLS_ALLOW_LOOPBACK: 'true' }, { local: true });
  });

  test('bad values are named by their variable, all at once', () => {
    const bad = (env: NodeJS.ProcessEnv) => () => documentStoreFromEnv(env);
    expect(bad({ DOCUMENT_STORE_DIR: path.join(tmp, 'gone') })).toThrow(
      /DOCUMENT_STORE_DIR: .*gone does not exist/,
    );
    expect(bad({ DOCUMENT_STORE_DIR: path.join(storeDir, 'a.pdf') })).toThrow(
      /DOCUMENT_STORE_DIR: .*a\.pdf is not a directory/,
    );
    expect(bad({ DOCUMENT_URLS: 'maybe' })).toThrow(/DOCUMENT_URLS: must be "on" or "off", got "maybe"/);
    expect(bad({ DOCUMENT_URL_HOSTS: 'ok.example.com,https://x.com,x.com:8443' })).toThrow(
      /DOCUMENT_URL_HOSTS: .*: https:\/\/x\.com, x\.com:8443$/m,
    );
    for (const max of ['10MB', '0', '-1', '1.5', '1e6']) {
      expect(bad({ DOCUMENT_MAX_BYTES: max })).toThrow(
        `DOCUMENT_MAX_BYTES: must be a positive whole number of bytes, got "${max}"`,
      );
    }
    expect(
      bad({
        DOCUMENT_STORE_DIR: path.join(tmp, 'gone'),
        DOCUMENT_URLS: 'x',
        DOCUMENT_URL_HOSTS: 'a/b',
        DOCUMENT_MAX_BYTES: 'x',
      }),
    ).toThrow(/DOCUMENT_STORE_DIR[\s\S]*DOCUMENT_URLS[\s\S]*DOCUMENT_URL_HOSTS[\s\S]*DOCUMENT_MAX_BYTES/);
  });
});
