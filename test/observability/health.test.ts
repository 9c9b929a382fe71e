import { startHealthServer, type HealthServer } from '../../src/observability/health';

let ready: boolean | Error = false;
let server: HealthServer;
const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

beforeAll(async () => {
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    ready: async () => {
      if (ready instanceof Error) throw ready;
      return ready;
    },
  });
});
afterAll(() => server.close());

test('/healthz answers 200 whatever the readiness', async () => {
  ready = false;
  expect((await fetch(url('/healthz'))).status).toBe(200);
});

test('/readyz follows the readiness check; a check that throws is not ready', async () => {
  ready = false;
  expect((await fetch(url('/readyz'))).status).toBe(503);
  ready = true;
  const res = await fetch(url('/readyz?verbose'));
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  ready = new Error('connection lost');
  expect((await fetch(url('/readyz'))).status).toBe(503);
});

test('HEAD works; other paths and methods do not', async () => {
  ready = true;
  expect((await fetch(url('/readyz'), { method: 'HEAD' })).status).toBe(200);
  expect((await fetch(url('/metrics'))).status).toBe(404);
  expect((await fetch(url('/readyz'), { method: 'POST' })).status).toBe(405);
});

test('close() returns although a client keeps its connection open', async () => {
  const other = await startHealthServer({ port: 0, host: '127.0.0.1', ready: () => true });
  await fetch(`http://127.0.0.1:${other.port}/healthz`, { keepalive: true });
  await other.close();
  await expect(fetch(`http://127.0.0.1:${other.port}/healthz`)).rejects.toThrow();
});
