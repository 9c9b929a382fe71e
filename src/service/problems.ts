// RFC 9457 problem details: every error the service sends has this shape, with the stable failure
// type string (the README's, or one of the service's own below) in `failureType` and in the `type` URN.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemTypeUri } from '../shared/problem-details';

/** The service's own failure types (the workflow's are in src/contract/failures.ts). */
export const ServiceProblem = {
  InvalidRequest: 'InvalidRequest',
  BodyTooDeep: 'BodyTooDeep',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  OnboardingNotFound: 'OnboardingNotFound',
  NotFound: 'NotFound',
  MethodNotAllowed: 'MethodNotAllowed',
  OnboardingAlreadyCompleted: 'OnboardingAlreadyCompleted',
  PayloadTooLarge: 'PayloadTooLarge',
  UriTooLong: 'UriTooLong',
  UnsupportedMediaType: 'UnsupportedMediaType',
  RateLimited: 'RateLimited',
  UploadQuotaPerOnboardingExceeded: 'UploadQuotaPerOnboardingExceeded',
  UploadQuotaPerKeyExceeded: 'UploadQuotaPerKeyExceeded',
  DocumentStoreNotConfigured: 'DocumentStoreNotConfigured',
  TemporalUnavailable: 'TemporalUnavailable',
  TemporalTimeout: 'TemporalTimeout',
  InternalError: 'InternalError',
} as const;

/** One problem of one field; `path` is dot-separated (`client.country`, `documents.0.source`). */
export interface FieldProblem {
  path: string;
  error: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  failureType: string;
  errors?: FieldProblem[];
}

/** Thrown anywhere in a handler; the error handler replies with it. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly failureType: string,
    readonly detail: string,
    readonly errors?: FieldProblem[],
    /** Headers the reply needs, e.g. `WWW-Authenticate`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problemBody(request: FastifyRequest, problem: Problem): ProblemDetails {
  return {
    type: problemTypeUri(problem.failureType),
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    // The request's path (no query string: a page token or filter is not part of the problem's identity).
    instance: request.url.split('?', 1)[0]!,
    failureType: problem.failureType,
    ...(problem.errors?.length ? { errors: problem.errors } : {}),
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .code(problem.status)
    .headers(problem.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemBody(request, problem));
}

export const invalidRequest = (detail: string, errors?: FieldProblem[]) =>
  new Problem(400, ServiceProblem.InvalidRequest, detail, errors);
