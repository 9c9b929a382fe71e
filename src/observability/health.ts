// Liveness and readiness for an orchestrator (Kubernetes probes, a load balancer's health check):
//   GET /healthz  200 while the process serves requests at all (its event loop turns)
//   GET /readyz   200 when `ready()` says so, 503 otherwise (starting, shutting down, server lost)
// node:http only: nothing that could itself fail to start the worker.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthServerOptions {
  /** 0: any free port (tests). */
  port: number;
  host?: string;
  ready: () => boolean | Promise<boolean>;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((req, res) => {
    handle(req, res, options.ready).catch(() => reply(res, 503, 'not ready\n'));
  });
  server.keepAliveTimeout = 1000; // probes reconnect anyway; closing must not wait on idle sockets
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, ready: HealthServerOptions['ready']) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed\n');
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz') return reply(res, 200, 'ok\n');
  if (path === '/readyz')
    return (await ready()) ? reply(res, 200, 'ready\n') : reply(res, 503, 'not ready\n');
  return reply(res, 404, 'not found\n');
}

function reply(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
