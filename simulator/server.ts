// The Fastify server: raw-body JSON parsing, request ids, fault injection, the request log, and error
// / not-found bodies in the dialect of the API the URL belongs to (Circle at /v1, Clive at /api, control
// at /_sim). Routes live in ./routes, one file per resource.
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { SimContext } from './context';
import { SimulatorControl } from './control';
import { cliveError } from './clive-wire';
import { ApiError, circleFail, cliveFail } from './errors';
import type { ActiveFault } from './faults';
import { isCliveUrl, isControlUrl, meta, pathOf } from './http';
import { beforeSend, beforeWrite } from './realism-serve';
import { accountRoutes } from './routes/accounts';
import { applicationRoutes } from './routes/applications';
import { clientRoutes } from './routes/clients';
import { cliveRoutes } from './routes/clive';
import { controlRoutes } from './routes/control';
import { documentRoutes } from './routes/documents';
import { notificationControlRoutes } from './routes/notification-control';
import { notificationRoutes } from './routes/notifications';
import { rfiRoutes } from './routes/rfis';
import { sectionRoutes } from './routes/sections';
import { snsRoutes } from './routes/sns';
import { circleError } from './wire';

const BODY_LIMIT = 1024 * 1024;

export function buildServer(ctx: SimContext, control: SimulatorControl): FastifyInstance {
  const app = Fastify({
    logger: ctx.config.logger,
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });

  // Keep the exact bytes (Clive signs them) and report malformed JSON from the hooks, after
  // authentication, in the right dialect, instead of failing inside the parser.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    const m = meta(request);
    m.rawBody = body;
    if (body.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body.toString('utf8'), refusePrototypeKeys));
    } catch (err) {
      m.jsonError = (err as Error).message;
      done(null, undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    if (body.length === 0) return done(null, undefined);
    const type = request.headers['content-type'] ?? 'none';
    done(
      Object.assign(new Error(`Unsupported content type ${type}; send application/json`), {
        statusCode: 415,
      }),
    );
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  app.addHook('onRequest', async (request, reply) => injectFault(ctx, request, reply));
  app.addHook('onSend', async (request, reply, payload) => {
    if (meta(request).fault === 'drop-after-commit') {
      // The operation ran and its idempotency record is stored; the client never hears back.
      logRequest(ctx, request, reply.statusCode);
      request.raw.socket?.destroy();
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => logRequest(ctx, request, reply.statusCode));

  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    const { status, body, headers } = toErrorResponse(err, request);
    if (status >= 500 && !(err instanceof ApiError)) {
      if (ctx.config.logger) request.log.error(err);
      else console.error('simulator: unexpected error', err);
    }
    return reply.code(status).headers(headers).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const message = `No route ${request.method} ${pathOf(request.url)}`;
    const body = isCliveUrl(request.url) ? cliveError('NOT_FOUND', message) : circleError(404, message);
    return reply.code(404).send(body);
  });

  app.register(async (circle) => {
    circle.addHook('onRequest', async (request) => {
      if (request.headers.authorization !== `Bearer ${ctx.config.circleApiKey}`) {
        throw circleFail(401, 'Malformed authorization.');
      }
    });
    circle.addHook('preValidation', rejectMalformedJson);
    // Realism: read-lag history around writes, and `latencyMs` on every answer.
    circle.addHook('preHandler', async (request) => beforeWrite(ctx, request));
    circle.addHook('onSend', async (request, _reply, payload) => {
      await beforeSend(ctx, request);
      return payload;
    });
    clientRoutes(circle, ctx);
    applicationRoutes(circle, ctx);
    sectionRoutes(circle, ctx);
    rfiRoutes(circle, ctx);
    documentRoutes(circle, ctx);
    accountRoutes(circle, ctx);
    notificationRoutes(circle, ctx);
  });
  app.register(async (clive) => cliveRoutes(clive, ctx));
  app.register(async (sim) => {
    sim.addHook('preValidation', rejectMalformedJson);
    controlRoutes(sim, control);
    notificationControlRoutes(sim, control);
    snsRoutes(sim, ctx);
  });
  return app;
}

// Bodies are copied into state; a `__proto__` key is refused rather than risked.
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('Object contains forbidden prototype property');
  return value;
}

async function rejectMalformedJson(request: FastifyRequest): Promise<void> {
  const jsonError = meta(request).jsonError;
  if (jsonError) throw circleFail(400, `Malformed JSON body: ${jsonError}`);
}

async function injectFault(ctx: SimContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (isControlUrl(request.url)) return;
  const fault = ctx.faults.pick(request.method, pathOf(request.url));
  if (!fault) return;
  meta(request).fault = fault.mode;
  switch (fault.mode) {
    case 'delay':
      await sleep(fault.delayMs ?? 0, undefined, { signal: ctx.closing.signal }).catch(() => undefined);
      return;
    case 'error':
      throw faultError(fault, isCliveUrl(request.url));
    case 'drop':
      logRequest(ctx, request, 0);
      reply.hijack();
      request.raw.socket?.destroy();
      return;
    case 'drop-after-commit':
      return; // handled in onSend, once the operation has run
    case 'delay-in-progress':
      meta(request).faultDelayMs = fault.delayMs ?? 0;
      return; // handled by idempotent(), once the key is claimed
  }
}

function faultError(fault: ActiveFault, clive: boolean): ApiError {
  const status = fault.status ?? 500;
  const headers: Record<string, string> =
    status === 429 || status === 503 ? { 'Retry-After': String(fault.retryAfterSeconds ?? 1) } : {};
  const message = `Simulated fault: HTTP ${status}`;
  const err = clive
    ? cliveFail(status, status === 429 ? 'RATE_LIMITED' : 'SIMULATED_FAULT', message)
    : circleFail(status, message);
  return new ApiError(err.status, err.body, headers);
}

function toErrorResponse(err: FastifyError | ApiError, request: FastifyRequest) {
  if (err instanceof ApiError) return { status: err.status, body: err.body, headers: err.headers };
  const clive = isCliveUrl(request.url);
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status === 500) {
    const message = `Something went wrong. errId: ${randomBytes(16).toString('hex')}`;
    return {
      status,
      body: clive ? cliveError('INTERNAL_ERROR', message) : circleError(-1, message),
      headers: {},
    };
  }
  const code =
    status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
  return {
    status,
    body: clive ? cliveError(code, err.message) : circleError(status, err.message),
    headers: {},
  };
}

function logRequest(ctx: SimContext, request: FastifyRequest, status: number): void {
  const m = meta(request);
  if (m.logged || isControlUrl(request.url)) return;
  m.logged = true;
  const header = request.headers['x-idempotency-key'] ?? request.headers['idempotency-key'];
  const body = request.body as { idempotencyKey?: unknown } | undefined;
  const fromBody =
    body && typeof body === 'object' && typeof body.idempotencyKey === 'string' ? body.idempotencyKey : null;
  ctx.state.logRequest(
    {
      method: request.method,
      path: pathOf(request.url),
      status,
      idempotencyKey: typeof header === 'string' ? header : fromBody,
      replay: m.replay ?? false,
      ...(m.fault ? { fault: m.fault } : {}),
      at: new Date().toISOString(),
    },
    request.routeOptions.url ?? '(no route)',
  );
}
