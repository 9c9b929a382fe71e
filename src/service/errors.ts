// Turns whatever a handler or Fastify throws into a problem: Fastify's own errors (body limit, media
// type, bad JSON), multipart limits, rate limiting, Temporal's errors. Nothing leaves in Fastify's
// default error shape, and a 5xx never shows an internal message.
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GrpcStatus, grpcCode } from '../temporal/grpc-status';
import { Problem, sendProblem, ServiceProblem } from './problems';
import { InvalidRequestPart, refusal } from './validation';

/** A Temporal error that means "the server could not be reached or answered in time", as a problem. */
export function temporalProblem(err: unknown): Problem | undefined {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new Problem(
      504,
      ServiceProblem.TemporalTimeout,
      'the onboarding did not answer in time; the message may still be applied: check its progress',
    );
  }
  if (!(err instanceof ServiceError) && !(err instanceof Error && 'code' in err)) return undefined;
  const code = grpcCode(err);
  if (code === GrpcStatus.UNAVAILABLE || code === GrpcStatus.RESOURCE_EXHAUSTED) {
    return new Problem(503, ServiceProblem.TemporalUnavailable, 'Temporal is unavailable; retry later', [], {
      'retry-after': '5',
    });
  }
  if (code === GrpcStatus.DEADLINE_EXCEEDED) {
    return new Problem(
      504,
      ServiceProblem.TemporalTimeout,
      'Temporal did not answer in time; a message may still be applied: check the progress',
    );
  }
  return undefined;
}

function fastifyProblem(err: FastifyError): Problem | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new Problem(413, ServiceProblem.PayloadTooLarge, `the request is too large (${err.message})`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new Problem(415, ServiceProblem.UnsupportedMediaType, 'unsupported Content-Type for this route');
    default:
      // Fastify's other 4xx (malformed JSON, empty JSON body, bad multipart) are the caller's mistakes.
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        return new Problem(400, ServiceProblem.InvalidRequest, err.message);
      }
      return undefined;
  }
}

/** The rate limiter's error (see rate-limit.ts), recognised by its marker. */
export class RateLimited extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limit exceeded; retry in ${retryAfterSeconds} s`);
  }
}

export function toProblem(err: unknown): Problem | undefined {
  if (err instanceof Problem) return err;
  if (err instanceof RateLimited) return new Problem(429, ServiceProblem.RateLimited, err.message);
  if (err instanceof WorkflowNotFoundError) {
    return new Problem(404, ServiceProblem.OnboardingNotFound, 'no such onboarding');
  }
  const temporal = temporalProblem(err);
  if (temporal) return temporal;
  if (err instanceof Error && typeof (err as FastifyError).code === 'string') {
    return fastifyProblem(err as FastifyError);
  }
  return undefined;
}

/**
 * Fastify's router errors, answered before any route or hook runs (the `frameworkErrors` option): an
 * id longer than the router takes (414) and a path that does not decode (400), as problems.
 */
export function frameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new Problem(414, ServiceProblem.UriTooLong, 'a path segment is longer than any id this service has')
      : err.code === 'FST_ERR_BAD_URL'
        ? new Problem(
            400,
            ServiceProblem.InvalidRequest,
            'the path is not a valid URL (bad percent-encoding)',
          )
        : new Problem(500, ServiceProblem.InternalError, 'an unexpected error occurred; it has been logged');
  return sendProblem(request, reply, problem);
}

/** The methods of each route pattern, to tell 405 (known path, other method) from 404. */
function routeTable(app: FastifyInstance) {
  const routes: { pattern: RegExp; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    const source = route.url
      .split('/')
      .map((seg) =>
        seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    const pattern = new RegExp(`^${source}$`);
    let entry = routes.find((r) => r.pattern.source === pattern.source);
    if (!entry) routes.push((entry = { pattern, methods: new Set() }));
    for (const m of Array.isArray(route.method) ? route.method : [route.method]) entry.methods.add(m);
  });
  return (path: string): string[] => {
    const methods = new Set<string>();
    for (const r of routes) if (r.pattern.test(path)) r.methods.forEach((m) => methods.add(m));
    return [...methods].sort();
  };
}

export function registerErrorHandlers(app: FastifyInstance): void {
  const allowed = routeTable(app);
  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0]!;
    const methods = allowed(path);
    if (methods.length) {
      return sendProblem(
        request,
        reply,
        new Problem(
          405,
          ServiceProblem.MethodNotAllowed,
          `${request.method} is not allowed on ${path}; allowed: ${methods.join(', ')}`,
          [],
          { allow: methods.join(', ') },
        ),
      );
    }
    return sendProblem(
      request,
      reply,
      new Problem(404, ServiceProblem.NotFound, `no route ${request.method} ${path}`),
    );
  };
  app.setErrorHandler((err, request, reply) => {
    // No route: whatever failed first (e.g. a QUERY body without a Content-Type), the answer is 404 or 405.
    if (request.is404) return notFound(request, reply);
    const problem = err instanceof InvalidRequestPart ? refusal(err, request) : toProblem(err);
    if (problem) {
      if (problem.status >= 500) request.log.warn({ err }, 'request failed: %s', problem.failureType);
      return sendProblem(request, reply, problem);
    }
    request.log.error({ err }, 'unexpected error');
    return sendProblem(
      request,
      reply,
      new Problem(500, ServiceProblem.InternalError, 'an unexpected error occurred; it has been logged'),
    );
  });
  app.setNotFoundHandler(notFound);
}
